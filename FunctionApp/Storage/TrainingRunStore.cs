using Azure.Storage.Blobs.Models;
using ServerlessML.Data;

namespace ServerlessML.Storage;

/// <summary>
/// A training run's working files (<c>training/{runId}/…</c>): the prepared splits and the candidate model.
/// Names are fixed per run, so an activity that runs again overwrites its own output with the same content.
/// </summary>
public sealed class TrainingRunStore(BlobContainers containers)
{
    public static BlobPath TrainSplit(string runId) => new(BlobContainers.Training, $"{runId}/train.table");

    public static BlobPath TestSplit(string runId) => new(BlobContainers.Training, $"{runId}/test.table");

    public static BlobPath Candidate(string runId) => new(BlobContainers.Training, $"{runId}/model.zip");

    /// <summary>Writes the dataset's <paramref name="rows"/> (all of them when null) as a table blob.</summary>
    public async Task WriteTableAsync(BlobPath path, Dataset dataset, int[]? rows, CancellationToken cancellationToken)
    {
        var blob = await containers.GetBlobAsync(path, cancellationToken);
        await using var stream = await blob.OpenWriteAsync(overwrite: true, cancellationToken: cancellationToken);
        await TableSerializer.WriteAsync(dataset, rows, stream, cancellationToken);
    }

    public async Task<Dataset> ReadTableAsync(BlobPath path, CancellationToken cancellationToken)
    {
        var blob = await containers.GetBlobAsync(path, cancellationToken);
        await using var stream = await blob.OpenReadAsync(cancellationToken: cancellationToken);
        return await TableSerializer.ReadAsync(stream, cancellationToken);
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

    /// <summary>Removes a run's working files; the staged dataset stays, as the published model's lineage.</summary>
    public async Task DeleteAsync(string runId, CancellationToken cancellationToken)
    {
        var container = await containers.GetAsync(BlobContainers.Training, cancellationToken);
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{runId}/", cancellationToken))
        {
            await container.DeleteBlobIfExistsAsync(item.Name, cancellationToken: cancellationToken);
        }
    }
}
