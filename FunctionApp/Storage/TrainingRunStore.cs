using Azure.Storage;
using Azure.Storage.Blobs.Models;
using ServerlessML.Data;

namespace ServerlessML.Storage;

/// <summary>
/// A training run's working files (<c>training/{runId}/…</c>): the prepared splits, as Parquet files a user can open with
/// pandas or DuckDB, and the candidate model. Names are fixed per run, so an activity that runs again overwrites its own
/// output with the same content.
/// </summary>
public sealed class TrainingRunStore(BlobContainers containers)
{
    // Splits are the biggest thing a run moves: in 8 MB blocks, four at a time.
    private static readonly StorageTransferOptions Transfer = new() { MaximumConcurrency = 4, InitialTransferSize = 8 << 20, MaximumTransferSize = 8 << 20 };

    public static BlobPath TrainSplit(string runId) => new(BlobContainers.Training, $"{runId}/train.parquet");

    public static BlobPath TestSplit(string runId) => new(BlobContainers.Training, $"{runId}/test.parquet");

    public static BlobPath Candidate(string runId) => new(BlobContainers.Training, $"{runId}/model.zip");

    public static BlobPath TestPredictions(string runId) => new(BlobContainers.Training, $"{runId}/test-predictions.json");

    /// <summary>Writes the dataset's <paramref name="rows"/> (all of them when null) as a Parquet file. It is written to a
    /// temporary file first and uploaded from there in parallel blocks: a blob write stream sends one block at a time,
    /// and holding the file in memory would double a large split's footprint.</summary>
    public async Task WriteTableAsync(BlobPath path, Dataset dataset, int[]? rows, CancellationToken cancellationToken)
    {
        var blob = await containers.GetBlobAsync(path, cancellationToken);
        await using var file = new FileStream(
            TemporaryPath(),
            FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 1 << 20, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await DatasetParquet.WriteAsync(dataset, rows, file, cancellationToken);
        file.Position = 0;
        await blob.UploadAsync(file, new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = ParquetTableReader.MediaType },
            TransferOptions = Transfer,
        }, cancellationToken);
    }

    /// <summary>Reads a split written by <see cref="WriteTableAsync"/>: downloaded in parallel ranges to a temporary file,
    /// whose columns are then decoded in parallel, straight into the dataset's arrays. A file rather than memory, so that
    /// the process holds the split's values once, not twice.</summary>
    public async Task<Dataset> ReadTableAsync(BlobPath path, CancellationToken cancellationToken)
    {
        var blob = await containers.GetBlobAsync(path, cancellationToken);
        var file = TemporaryPath();
        try
        {
            await blob.DownloadToAsync(file, new BlobDownloadToOptions { TransferOptions = Transfer }, cancellationToken);
            return await DatasetParquet.ReadAsync(
                () => new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.Asynchronous),
                cancellationToken);
        }
        finally
        {
            File.Delete(file);
        }
    }

    public async Task WriteBytesAsync(BlobPath path, BinaryData content, CancellationToken cancellationToken)
    {
        var blob = await containers.GetBlobAsync(path, cancellationToken);
        await blob.UploadAsync(content, overwrite: true, cancellationToken);
    }

    public async Task<BinaryData> ReadBytesAsync(BlobPath path, CancellationToken cancellationToken)
    {
        var blob = await containers.GetBlobAsync(path, cancellationToken);
        return (await blob.DownloadContentAsync(cancellationToken)).Value.Content;
    }

    /// <summary>The file's bytes, or null when the run wrote none there.</summary>
    public async Task<BinaryData?> ReadBytesOrNullAsync(BlobPath path, CancellationToken cancellationToken)
    {
        var blob = await containers.GetBlobAsync(path, cancellationToken);
        try
        {
            return (await blob.DownloadContentAsync(cancellationToken)).Value.Content;
        }
        catch (Azure.RequestFailedException e) when (e.ErrorCode == Azure.Storage.Blobs.Models.BlobErrorCode.BlobNotFound)
        {
            return null;
        }
    }

    /// <summary>Removes a run's working files; whether its staged data goes too is for the run's cleanup step to judge.</summary>
    public async Task DeleteAsync(string runId, CancellationToken cancellationToken)
    {
        var container = await containers.GetAsync(BlobContainers.Training, cancellationToken);
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{runId}/", cancellationToken))
        {
            await container.DeleteBlobIfExistsAsync(item.Name, cancellationToken: cancellationToken);
        }
    }

    /// <summary>Every run that has working files, with when it last wrote one.</summary>
    public async Task<IReadOnlyList<(string RunId, DateTimeOffset Written)>> ListRunsAsync(CancellationToken cancellationToken)
    {
        var container = await containers.GetAsync(BlobContainers.Training, cancellationToken);
        var runs = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: null, cancellationToken))
        {
            var slash = item.Name.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0)
            {
                var run = item.Name[..slash];
                var written = item.Properties.LastModified ?? DateTimeOffset.MinValue;
                runs[run] = runs.TryGetValue(run, out var seen) && seen > written ? seen : written;
            }
        }

        return runs.Select(r => (r.Key, r.Value)).ToList();
    }

    private static string TemporaryPath() => Path.Combine(Path.GetTempPath(), $"serverlessml-{Guid.NewGuid():N}.parquet");
}
