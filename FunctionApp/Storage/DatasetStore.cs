using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs.Models;

namespace ServerlessML.Storage;

/// <summary>Staged training data: the claim check a training run carries instead of the data itself.</summary>
public sealed class DatasetStore(BlobContainers containers)
{
    private const string Sha256Metadata = "sha256";

    public static BlobPath StagedPath(string model, string runId) => new(BlobContainers.Datasets, $"{model}/{runId}.csv");

    /// <summary>Writes a dataset once under its run's name; its SHA-256 goes along as metadata for the manifest.</summary>
    public async Task<BlobPath> StageAsync(string model, string runId, ReadOnlyMemory<byte> csv, CancellationToken cancellationToken)
    {
        var path = StagedPath(model, runId);
        var blob = await containers.GetBlobAsync(path, cancellationToken);
        await blob.UploadAsync(
            BinaryData.FromBytes(csv),
            new Azure.Storage.Blobs.Models.BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = "text/csv; charset=utf-8" },
                Metadata = new Dictionary<string, string> { [Sha256Metadata] = Sha256(csv.Span) },
            },
            cancellationToken);
        return path;
    }

    public async Task<Stream> OpenReadAsync(BlobPath path, CancellationToken cancellationToken)
    {
        var blob = await containers.GetBlobAsync(path, cancellationToken);
        return await blob.OpenReadAsync(new Azure.Storage.Blobs.Models.BlobOpenReadOptions(allowModifications: false) { BufferSize = 4 << 20 }, cancellationToken);
    }

    /// <summary>The SHA-256 recorded when the dataset was written, or computed now for a blob put there another way.</summary>
    public async Task<string> Sha256Async(BlobPath path, CancellationToken cancellationToken)
    {
        var blob = await containers.GetBlobAsync(path, cancellationToken);
        BlobProperties properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
        if (properties.Metadata.TryGetValue(Sha256Metadata, out var recorded))
        {
            return recorded;
        }

        await using var stream = await OpenReadAsync(path, cancellationToken);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }

    public async Task DeleteAsync(BlobPath path, CancellationToken cancellationToken)
    {
        var blob = await containers.GetBlobAsync(path, cancellationToken);
        await blob.DeleteIfExistsAsync(cancellationToken: cancellationToken);
    }

    public static string Sha256(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));
}
