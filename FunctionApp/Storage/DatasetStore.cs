using System.Buffers;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessML.Data;
using ServerlessML.Training;

namespace ServerlessML.Storage;

/// <summary>
/// Training data in blob storage: datasets uploaded by name (<c>datasets/{name}.csv</c> or <c>.parquet</c>, with a
/// summary beside it), and data staged for one run (<c>datasets/{model}/{runId}.csv</c> or <c>.parquet</c>), the claim
/// check a run carries instead of the data itself. Both are written once, so a model's lineage keeps pointing at the bytes it was trained on; data
/// staged for a run that publishes nothing is deleted when the run ends.
/// </summary>
public sealed class DatasetStore(BlobContainers containers, IOptions<TrainingOptions> options, TimeProvider clock, ILogger<DatasetStore> logger)
{
    private const string Sha256Metadata = "sha256";
    private const int BlockBytes = 4 * 1024 * 1024;

    // Staged data moves like a split: in 8 MB blocks, four at a time.
    private static readonly StorageTransferOptions Transfer = new() { MaximumConcurrency = 4, InitialTransferSize = 8 << 20, MaximumTransferSize = 8 << 20 };

    // Longer than an upload can run: the Functions host ends an HTTP request after 230 s.
    private static readonly TimeSpan StaleClaimAge = TimeSpan.FromMinutes(10);

    public static BlobPath StagedPath(string model, string runId, DatasetFormat format = DatasetFormat.Parquet) =>
        new(BlobContainers.Datasets, $"{model}/{runId}{format.Extension()}");

    public static BlobPath NamedPath(string name, DatasetFormat format = DatasetFormat.Csv) => new(BlobContainers.Datasets, $"{name}{format.Extension()}");

    /// <summary>The format a dataset blob is stored in, from its name.</summary>
    public static DatasetFormat FormatOf(BlobPath path) => DatasetFormats.OfName(path.Name) ?? DatasetFormat.Csv;

    private static BlobPath SummaryPath(string name) => new(BlobContainers.Datasets, $"{name}.summary.json");

    private static BlobPath ClaimPath(string name) => new(BlobContainers.Datasets, $"{name}.claim");

    /// <summary>
    /// Writes a run's data once under the run's name, as it was parsed and checked: a Parquet file in the layout of the
    /// splits (<see cref="DatasetParquet"/>), with its kinds and categories, so that the run reads it back without
    /// parsing, inferring or checking anything again. <paramref name="sha256"/>, of the data as it was sent, goes along
    /// as metadata for the manifest.
    /// </summary>
    public async Task<BlobPath> StageAsync(string model, string runId, Dataset dataset, string sha256, CancellationToken cancellationToken)
    {
        var path = StagedPath(model, runId);
        var blob = await containers.GetBlobAsync(path, cancellationToken);
        await using var file = TemporaryFile();
        await DatasetParquet.WriteAsync(dataset, rows: null, file, cancellationToken);
        file.Position = 0;
        await blob.UploadAsync(
            file,
            new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = DatasetFormat.Parquet.ContentType() },
                Metadata = new Dictionary<string, string> { [Sha256Metadata] = sha256 },
                TransferOptions = Transfer,
            },
            cancellationToken);
        return path;
    }

    /// <summary>Reads data staged by <see cref="StageAsync"/>: downloaded in parallel ranges to a temporary file, whose
    /// columns are decoded in parallel straight into the dataset's arrays.</summary>
    public async Task<Dataset> ReadStagedAsync(BlobPath path, CancellationToken cancellationToken)
    {
        var blob = await containers.GetBlobAsync(path, cancellationToken);
        var file = Path.Combine(Path.GetTempPath(), $"serverlessml-{Guid.NewGuid():N}.parquet");
        try
        {
            await blob.DownloadToAsync(file, new BlobDownloadToOptions { TransferOptions = Transfer }, cancellationToken);
            return await DatasetParquet.ReadAsync(
                () => new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.Asynchronous),
                cancellationToken);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.BlobNotFound)
        {
            throw Deleted(path);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Streams a CSV into a new named dataset, checking and profiling it on the way. The bytes go up as uncommitted
    /// blocks and are committed only once the whole file has passed, so a bad or interrupted upload leaves nothing
    /// visible behind (Blob Storage discards uncommitted blocks by itself).
    /// </summary>
    public Task<DatasetSummary> UploadAsync(string name, Stream csv, CancellationToken cancellationToken) =>
        UploadNewAsync(name, container => UploadCsvAsync(container, name, csv, cancellationToken), cancellationToken);

    private async Task<DatasetSummary> UploadCsvAsync(BlobContainerClient container, string name, Stream csv, CancellationToken cancellationToken)
    {
        var blob = container.GetBlockBlobClient(NamedPath(name).Name);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var profiler = new CsvProfiler(options.Value.DatasetLimits());
        var upload = Guid.NewGuid().ToString("N");
        var blocks = new List<string>();
        byte[][] buffers = [ArrayPool<byte>.Shared.Rent(BlockBytes), ArrayPool<byte>.Shared.Rent(BlockBytes)];
        Task? staging = null;
        long bytes = 0;
        try
        {
            // Two buffers: one block goes up while the next is read, hashed and checked.
            for (var current = 0; ; current ^= 1)
            {
                var filled = await FillAsync(csv, buffers[current].AsMemory(0, BlockBytes), cancellationToken);
                if (filled == 0)
                {
                    break;
                }

                bytes += filled;
                hash.AppendData(buffers[current], 0, filled);
                await profiler.AppendAsync(buffers[current].AsMemory(0, filled), cancellationToken);
                if (staging is not null)
                {
                    await staging;
                }

                var id = Convert.ToBase64String(Encoding.ASCII.GetBytes($"{upload}-{blocks.Count:D8}"));
                blocks.Add(id);
                staging = blob.StageBlockAsync(id, new MemoryStream(buffers[current], 0, filled, writable: false), cancellationToken: cancellationToken);
            }

            if (staging is not null)
            {
                await staging;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffers[0]);
            ArrayPool<byte>.Shared.Return(buffers[1]);
        }

        if (bytes == 0)
        {
            throw new InvalidDatasetException("The dataset is empty: it has no bytes.");
        }

        var profile = await profiler.CompleteAsync();
        var summary = new DatasetSummary(name, bytes, profile.Rows, profile.Columns, Convert.ToHexStringLower(hash.GetHashAndReset()), clock.GetUtcNow());
        try
        {
            await blob.CommitBlockListAsync(blocks, new CommitBlockListOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = "text/csv; charset=utf-8" },
                Metadata = new Dictionary<string, string> { [Sha256Metadata] = summary.Sha256 },
            }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
        {
            throw AlreadyExists(name);
        }

        await WriteSummaryAsync(container, summary, cancellationToken);
        logger.DatasetUploaded(name, bytes, profile.Rows);
        return summary;
    }

    /// <summary>
    /// Stores a Parquet file as a new named dataset once it has been checked and profiled. A Parquet file is read from
    /// its end (the schema is in the footer), so the body goes to a temporary file first, hashed on the way, and only
    /// a file that passed is uploaded.
    /// </summary>
    public Task<DatasetSummary> UploadParquetAsync(string name, Stream parquet, CancellationToken cancellationToken) =>
        UploadNewAsync(name, container => UploadParquetAsync(container, name, parquet, cancellationToken), cancellationToken);

    // A new named dataset, in either format: the name is claimed first, checked free in both formats, then written.
    private async Task<DatasetSummary> UploadNewAsync(string name, Func<BlobContainerClient, Task<DatasetSummary>> upload, CancellationToken cancellationToken)
    {
        var container = await containers.GetAsync(BlobContainers.Datasets, cancellationToken);
        var claim = await ClaimAsync(container, name, cancellationToken);
        try
        {
            await CheckNewAsync(container, name, cancellationToken);
            return await upload(container);
        }
        finally
        {
            await ReleaseAsync(container, name, claim);
        }
    }

    private async Task<DatasetSummary> UploadParquetAsync(BlobContainerClient container, string name, Stream parquet, CancellationToken cancellationToken)
    {
        await using var file = TemporaryFile();
        var (bytes, sha256) = await CopyHashedAsync(parquet, file, cancellationToken);
        if (bytes == 0)
        {
            throw new InvalidDatasetException("The dataset is empty: it has no bytes.");
        }

        file.Position = 0;
        var profile = await ParquetTableReader.ProfileAsync(file, options.Value.DatasetLimits(), cancellationToken);
        var summary = new DatasetSummary(name, bytes, profile.Rows, profile.Columns, sha256, clock.GetUtcNow(), DatasetFormat.Parquet);
        file.Position = 0;
        try
        {
            await container.GetBlobClient(NamedPath(name, DatasetFormat.Parquet).Name).UploadAsync(file, new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = DatasetFormat.Parquet.ContentType() },
                Metadata = new Dictionary<string, string> { [Sha256Metadata] = sha256 },
            }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
        {
            throw AlreadyExists(name);
        }

        await WriteSummaryAsync(container, summary, cancellationToken);
        logger.UploadedParquet(name, bytes, profile.Rows);
        return summary;
    }

    /// <summary>A copy of a Parquet dataset to read from: the reader needs to seek, which a download stream cannot. Small
    /// enough to hold, since a dataset that can be trained on fits the limit on feature values.</summary>
    public async Task<Stream> DownloadAsync(BlobPath path, CancellationToken cancellationToken)
    {
        var blob = await containers.GetBlobAsync(path, cancellationToken);
        try
        {
            return (await blob.DownloadContentAsync(cancellationToken)).Value.Content.ToStream();
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.BlobNotFound)
        {
            throw Deleted(path);
        }
    }

    /// <summary>A named dataset's summary, or null when there is no such dataset. A CSV put into the container
    /// some other way (azcopy, the portal) is profiled on first sight.</summary>
    public async Task<DatasetSummary?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var container = await containers.GetAsync(BlobContainers.Datasets, cancellationToken);
        try
        {
            var content = (await container.GetBlobClient(SummaryPath(name).Name).DownloadContentAsync(cancellationToken)).Value.Content;
            return content.ToObjectFromJson<DatasetSummary>(StorageJson.Options);
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
        {
            return await ProfileAsync(container, name, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<DatasetSummary>> ListAsync(CancellationToken cancellationToken)
    {
        var container = await containers.GetAsync(BlobContainers.Datasets, cancellationToken);
        var summaries = new List<DatasetSummary>();
        await foreach (var item in container.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", prefix: null, cancellationToken))
        {
            if (item.IsBlob && DatasetFormats.OfName(item.Blob.Name) is { } format
                && await GetAsync(DatasetFormats.WithoutExtension(item.Blob.Name, format), cancellationToken) is { } summary)
            {
                summaries.Add(summary);
            }
        }

        return summaries;
    }

    /// <summary>Deletes a named dataset; false when there was none. Models trained on it keep its SHA-256.</summary>
    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        var container = await containers.GetAsync(BlobContainers.Datasets, cancellationToken);
        var deleted = false;
        foreach (var format in DatasetFormats.All)
        {
            deleted |= await container.DeleteBlobIfExistsAsync(NamedPath(name, format).Name, cancellationToken: cancellationToken);
        }

        await container.DeleteBlobIfExistsAsync(SummaryPath(name).Name, cancellationToken: cancellationToken);
        return deleted;
    }

    public async Task DeleteAsync(BlobPath path, CancellationToken cancellationToken)
    {
        var blob = await containers.GetBlobAsync(path, cancellationToken);
        await blob.DeleteIfExistsAsync(cancellationToken: cancellationToken);
    }

    /// <summary>Deletes the data staged for a run, in whichever format it was sent.</summary>
    public async Task DeleteStagedAsync(string model, string runId, CancellationToken cancellationToken)
    {
        foreach (var format in DatasetFormats.All)
        {
            await DeleteAsync(StagedPath(model, runId, format), cancellationToken);
        }
    }

    /// <summary>Every dataset staged for a run (<c>datasets/{model}/{runId}.csv</c> or <c>.parquet</c>), with when it was written.</summary>
    public async IAsyncEnumerable<StagedDataset> ListStagedAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var container = await containers.GetAsync(BlobContainers.Datasets, cancellationToken);
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: null, cancellationToken))
        {
            // Named datasets sit at the top level; a staged one is the only thing one folder down.
            var parts = item.Name.Split('/');
            if (parts.Length == 2 && DatasetFormats.OfName(parts[1]) is { } format)
            {
                yield return new StagedDataset(new BlobPath(BlobContainers.Datasets, item.Name), parts[0], DatasetFormats.WithoutExtension(parts[1], format), item.Properties.LastModified ?? DateTimeOffset.MinValue);
            }
        }
    }

    /// <summary>One streaming download (resumed by the SDK if the connection drops): the server keeps sending while
    /// the reader parses, where a read-stream would stop at every buffer to fetch the next range.</summary>
    public async Task<Stream> OpenReadAsync(BlobPath path, CancellationToken cancellationToken)
    {
        var blob = await containers.GetBlobAsync(path, cancellationToken);
        try
        {
            return (await blob.DownloadStreamingAsync(cancellationToken: cancellationToken)).Value.Content;
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.BlobNotFound)
        {
            // Not a storage fault to retry: the container answered and the data is gone, most likely deleted after the
            // run was started. Any other 404 (the container itself missing) is no evidence of that, and is not said.
            throw Deleted(path);
        }
    }

    private static InvalidDatasetException Deleted(BlobPath path) =>
        new($"The dataset {path} does not exist any more: it was deleted after the run started. Upload it again and start a new run.");

    /// <summary>What the dataset's properties say, without reading it: its version (the blob's ETag, which every write
    /// changes) and the SHA-256 recorded when it was written (null for a blob put there another way).</summary>
    public async Task<(ETag Version, string? Sha256)> RecordedAsync(BlobPath path, CancellationToken cancellationToken)
    {
        var blob = await containers.GetBlobAsync(path, cancellationToken);
        try
        {
            BlobProperties properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            return (properties.ETag, properties.Metadata.TryGetValue(Sha256Metadata, out var recorded) ? recorded : null);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.BlobNotFound)
        {
            throw Deleted(path);
        }
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

    public static string Sha256(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    private async Task<DatasetSummary?> ProfileAsync(BlobContainerClient container, string name, CancellationToken cancellationToken)
    {
        foreach (var format in DatasetFormats.All)
        {
            var blob = container.GetBlobClient(NamedPath(name, format).Name);
            BlobProperties properties;
            try
            {
                properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
            {
                continue;
            }

            return format == DatasetFormat.Parquet
                ? await ProfileParquetAsync(container, name, blob, properties, cancellationToken)
                : await ProfileCsvAsync(container, name, blob, properties, cancellationToken);
        }

        return null;
    }

    private async Task<DatasetSummary> ProfileParquetAsync(BlobContainerClient container, string name, BlobClient blob, BlobProperties properties, CancellationToken cancellationToken)
    {
        await using var file = TemporaryFile();
        string sha256;
        await using (var stream = (await blob.DownloadStreamingAsync(cancellationToken: cancellationToken)).Value.Content)
        {
            (_, sha256) = await CopyHashedAsync(stream, file, cancellationToken);
        }

        file.Position = 0;
        var profile = await ParquetTableReader.ProfileAsync(file, options.Value.DatasetLimits() with { MaxColumns = int.MaxValue }, cancellationToken);
        var summary = new DatasetSummary(name, properties.ContentLength, profile.Rows, profile.Columns, sha256, properties.CreatedOn, DatasetFormat.Parquet);
        await WriteSummaryAsync(container, summary, cancellationToken);
        return summary;
    }

    private async Task<DatasetSummary> ProfileCsvAsync(BlobContainerClient container, string name, BlobClient blob, BlobProperties properties, CancellationToken cancellationToken)
    {
        await using var stream = (await blob.DownloadStreamingAsync(cancellationToken: cancellationToken)).Value.Content;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        // A blob put there another way is described whatever its width, so that it lists and shows; training on it
        // is refused from this summary when it has more columns than allowed.
        using var profiler = new CsvProfiler(options.Value.DatasetLimits() with { MaxColumns = int.MaxValue });
        var buffer = new byte[1 << 20];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            await profiler.AppendAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        var profile = await profiler.CompleteAsync();
        var summary = new DatasetSummary(name, properties.ContentLength, profile.Rows, profile.Columns, Convert.ToHexStringLower(hash.GetHashAndReset()), properties.CreatedOn);
        await WriteSummaryAsync(container, summary, cancellationToken);
        return summary;
    }

    private static async Task WriteSummaryAsync(BlobContainerClient container, DatasetSummary summary, CancellationToken cancellationToken) =>
        await container.GetBlobClient(SummaryPath(summary.Name).Name).UploadAsync(
            BinaryData.FromObjectAsJson(summary, StorageJson.Options), overwrite: true, cancellationToken);

    /// <summary>
    /// Claims a dataset's name for one upload: <c>datasets/{name}.claim</c>, created with <c>If-None-Match: *</c>, so
    /// that of two uploads of one name at the same moment (in one format or two) only one goes on. The blobs of the two
    /// formats have different names, so their own conditional writes cannot tell two such uploads apart. A claim left
    /// by a process that died mid-upload is taken over once it is older than any upload can take.
    /// </summary>
    private async Task<ETag> ClaimAsync(BlobContainerClient container, string name, CancellationToken cancellationToken)
    {
        var claim = container.GetBlobClient(ClaimPath(name).Name);
        try
        {
            return (await claim.UploadAsync(BinaryData.Empty, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken)).Value.ETag;
        }
        catch (RequestFailedException e) when (e.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
        {
            // Taken: by an upload in progress, or by one that died.
        }

        try
        {
            BlobProperties held = await claim.GetPropertiesAsync(cancellationToken: cancellationToken);
            if (clock.GetUtcNow() - held.LastModified > StaleClaimAge)
            {
                logger.StaleClaimTakenOver(name, held.LastModified);
                return (await claim.UploadAsync(BinaryData.Empty, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfMatch = held.ETag } }, cancellationToken)).Value.ETag;
            }
        }
        catch (RequestFailedException e) when (e.Status is (int)HttpStatusCode.NotFound or (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.Conflict)
        {
            // Released or taken over in the meantime: the name was being uploaded a moment ago, which is what is said.
        }

        throw new ConflictException(
            $"Dataset '{name}' is being uploaded by another request right now. Datasets are never overwritten: wait for that " +
            $"upload to finish and look at GET /api/datasets/{name}, or upload under a new name.");
    }

    // Only the claim this upload holds: one taken over in the meantime belongs to another upload.
    private static async Task ReleaseAsync(BlobContainerClient container, string name, ETag claim)
    {
        try
        {
            await container.GetBlobClient(ClaimPath(name).Name).DeleteIfExistsAsync(
                conditions: new BlobRequestConditions { IfMatch = claim }, cancellationToken: CancellationToken.None);
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.PreconditionFailed)
        {
        }
    }

    // A dataset's name is taken by a file in any format.
    private static async Task CheckNewAsync(BlobContainerClient container, string name, CancellationToken cancellationToken)
    {
        foreach (var format in DatasetFormats.All)
        {
            if (await container.GetBlobClient(NamedPath(name, format).Name).ExistsAsync(cancellationToken))
            {
                throw AlreadyExists(name);
            }
        }
    }

    private static FileStream TemporaryFile() => new(
        Path.Combine(Path.GetTempPath(), $"serverlessml-{Guid.NewGuid():N}.tmp"),
        FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);

    private static async Task<(long Bytes, string Sha256)> CopyHashedAsync(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        long bytes = 0;
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                bytes += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return (bytes, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static async Task<int> FillAsync(Stream source, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        int read;
        while (filled < buffer.Length && (read = await source.ReadAsync(buffer[filled..], cancellationToken)) > 0)
        {
            filled += read;
        }

        return filled;
    }

    private static ConflictException AlreadyExists(string name) => new(
        $"Dataset '{name}' already exists. Datasets are never overwritten, so every model trained on one keeps pointing at " +
        "the bytes it was trained on: upload under a new name, or DELETE the old one first.");
}
