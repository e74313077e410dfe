using System.Diagnostics;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessML.Data;
using ServerlessML.ML;
using ServerlessML.Storage;
using ServerlessML.Telemetry;

namespace ServerlessML.Training;

/// <summary>Activity: fits the pipeline on the training split and writes the candidate model zip.</summary>
public sealed class TrainModel(TrainingRunStore runs, PreparedDataCache cache, ILogger<TrainModel> logger)
{
    [Function(nameof(TrainModel))]
    public async Task<string> RunAsync([ActivityTrigger] TrainModelInput input, CancellationToken cancellationToken)
    {
        using var span = ServerlessTelemetry.StartPhase(nameof(TrainModel), input.RunId);
        MemoryRelief.BeforeLargeWork();
        var clock = Stopwatch.StartNew();
        var cached = cache.TrainSplit(input.Split);
        PreparedDataCache.Report(logger, span, nameof(TrainModel), input.TrainBlob, cached is not null);
        var train = cached ?? await runs.ReadTableAsync(BlobPath.Parse(input.TrainBlob), cancellationToken);
        var read = clock.Elapsed;
        var rows = train.RowCount;
        var zip = Fit(train, input);
        var fit = clock.Elapsed - read;

        var candidate = TrainingRunStore.Candidate(input.RunId);
        await runs.WriteBytesAsync(candidate, zip, cancellationToken);

        logger.Trained(input.RunId, rows, fit.TotalSeconds, read.TotalSeconds, (clock.Elapsed - read - fit).TotalSeconds, zip.ToMemory().Length);
        span?.SetTag(ServerlessTelemetry.RowsAttribute, rows)
            .SetTag("serverlessml.read.duration", read.TotalSeconds)
            .SetTag("serverlessml.fit.duration", fit.TotalSeconds)
            .SetTag("serverlessml.save.duration", (clock.Elapsed - read - fit).TotalSeconds)
            .SetTag("serverlessml.model.bytes", zip.ToMemory().Length);
        return candidate.ToString();
    }

    // Not part of the async method, so the split is not held by its state machine: once SDCA has its feature
    // matrix, the split's columns can be collected while it trains.
    private static BinaryData Fit(Dataset train, TrainModelInput input)
    {
        var features = FeatureSchema.Of(train);
        var model = ModelTrainer.Train(train, input.Trainer, input.Seed);
        using var zip = new MemoryStream();
        ModelTrainer.Save(model, features, zip);
        return new BinaryData(zip.ToArray());
    }
}
