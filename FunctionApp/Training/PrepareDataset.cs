using System.Diagnostics;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessML.Data;
using ServerlessML.ML;
using ServerlessML.Storage;
using ServerlessML.Telemetry;

namespace ServerlessML.Training;

/// <summary>Activity: reads the run's dataset (staged from the request as it was checked, or an upload to parse and check),
/// splits it reproducibly and writes both splits.</summary>
public sealed class PrepareDataset(DatasetStore datasets, TrainingRunStore runs, PreparedDataCache cache, IOptions<TrainingOptions> options, ILogger<PrepareDataset> logger)
{
    [Function(nameof(PrepareDataset))]
    public async Task<PreparedDataset> RunAsync([ActivityTrigger] PrepareDatasetInput input, CancellationToken cancellationToken)
    {
        using var span = ServerlessTelemetry.StartPhase(nameof(PrepareDataset), input.RunId);
        var request = input.Request;
        var source = BlobPath.Parse(request.DatasetBlob);
        // A named dataset was checked against the limits only as far as its summary could tell, so they hold here again,
        // before anything is trained. Staged data was checked whole before the run started.
        var readOptions = options.Value.DatasetLimits() with
        {
            Label = request.Label,
            Kinds = request.Kinds,
            ExpectedRows = request.Rows,
        };
        MemoryRelief.BeforeLargeWork();
        var clock = Stopwatch.StartNew();
        // The SHA-256 recorded with the blob names its bytes without reading them: an instance that read the same bytes
        // the same way lately still holds what they gave.
        var (version, recorded) = await datasets.RecordedAsync(source, cancellationToken);
        // Data staged from a request was parsed at the edge, under its declared charset, which the SHA-256 of the bytes as
        // sent does not name: it is kept for this run's own steps only, under its blob's path.
        var identity = request.Staged && recorded is not null ? $"{recorded}@{source}" : recorded;
        var key = identity is null ? null : PreparedDataKey.Of(identity, DatasetStore.FormatOf(source), readOptions);
        var cached = cache.Find(key);
        PreparedDataCache.Report(logger, span, nameof(PrepareDataset), $"{source} (SHA-256 {recorded ?? "not recorded"})", cached is not null);
        var dataset = cached
            ?? (request.Staged ? await datasets.ReadStagedAsync(source, cancellationToken)
            : DatasetStore.FormatOf(source) == DatasetFormat.Parquet ? await ReadParquetAsync(source, readOptions, cancellationToken)
            : await CsvTableReader.ReadAsync(ct => datasets.OpenReadAsync(source, ct), readOptions, cancellationToken));
        // Kept only when the blob did not change while it was read, so the bytes read are the ones the SHA-256 names.
        if (cached is null && key is not null && (await datasets.RecordedAsync(source, cancellationToken)).Version == version)
        {
            cache.Add(key, dataset);
        }

        var parsed = clock.Elapsed;
        // The splits are written as row lists over the one parsed copy: a dataset is held in memory once.
        var (train, test) = DatasetSplit.Rows(dataset.RowCount, request.TestFraction, request.Seed);

        var trainBlob = TrainingRunStore.TrainSplit(input.RunId);
        var testBlob = TrainingRunStore.TestSplit(input.RunId);
        // Both at once: one split's encoding overlaps the other's upload.
        await Task.WhenAll(
            runs.WriteTableAsync(trainBlob, dataset, train, cancellationToken),
            runs.WriteTableAsync(testBlob, dataset, test, cancellationToken));
        var sha256 = recorded ?? await datasets.Sha256Async(source, cancellationToken);

        logger.Prepared(dataset.RowCount, source.ToString(), parsed.TotalSeconds, (clock.Elapsed - parsed).TotalSeconds, train.Length, test.Length);
        span?.SetTag(ServerlessTelemetry.ModelAttribute, request.Model)
            .SetTag(ServerlessTelemetry.RowsAttribute, dataset.RowCount)
            .SetTag("serverlessml.rows.train", train.Length)
            .SetTag("serverlessml.rows.test", test.Length)
            .SetTag("serverlessml.parse.duration", parsed.TotalSeconds)
            .SetTag("serverlessml.split.duration", (clock.Elapsed - parsed).TotalSeconds);
        var labels = dataset.LabelColumn.Values;
        return new PreparedDataset(
            trainBlob.ToString(),
            testBlob.ToString(),
            ModelSchema.Describe(dataset, train),
            new RowCounts(train.Length, test.Length),
            train.Average(row => (double)labels[row]),
            sha256,
            key is null ? null : new SplitKey(key, request.TestFraction, request.Seed));
    }

    private async Task<Dataset> ReadParquetAsync(BlobPath source, DatasetReadOptions readOptions, CancellationToken cancellationToken)
    {
        await using var file = await datasets.DownloadAsync(source, cancellationToken);
        return await ParquetTableReader.ReadAsync(file, readOptions, cancellationToken);
    }
}
