using System.Globalization;
using System.Net;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;

namespace ServerlessML.Storage;

/// <summary>
/// Published models: <c>models/{model}/v{n}/model.zip</c> and <c>manifest.json</c>, written once and never
/// overwritten, and aliases (<c>models/{model}/aliases/{alias}.json</c>) moved with ETag conditions.
/// </summary>
public sealed class ModelStore(BlobContainers containers, ILogger<ModelStore> logger)
{
    public const string Latest = "latest";
    public const string Production = "production";

    private const string RunIdMetadata = "runid";

    public static BlobPath ModelPath(string model, int version) => new(BlobContainers.Models, $"{model}/v{version}/model.zip");

    public static BlobPath ManifestPath(string model, int version) => new(BlobContainers.Models, $"{model}/v{version}/manifest.json");

    public static BlobPath AliasPath(string model, string alias) => new(BlobContainers.Models, $"{model}/aliases/{alias}.json");

    /// <summary>
    /// Claims the next free version for a run's model and writes it. Running it again for the same run finds the
    /// version that run already claimed, so a retried activity never publishes twice.
    /// </summary>
    public async Task<int> PublishAsync(string model, string runId, BinaryData zip, Func<int, ModelManifest> manifest, CancellationToken cancellationToken)
    {
        var container = await containers.GetAsync(BlobContainers.Models, cancellationToken);
        var (claimed, highest) = await FindVersionsAsync(container, model, runId, cancellationToken);
        var version = claimed ?? highest + 1;
        while (claimed is null)
        {
            try
            {
                await container.GetBlobClient(ModelPath(model, version).Name).UploadAsync(zip, new BlobUploadOptions
                {
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                    HttpHeaders = new BlobHttpHeaders { ContentType = "application/zip" },
                    Metadata = new Dictionary<string, string> { [RunIdMetadata] = runId },
                }, cancellationToken);
                claimed = version;
            }
            catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.Conflict)
            {
                // Another run published this version first; take the next one.
                version++;
            }
        }

        await WriteOnceAsync(container, ManifestPath(model, version).Name, manifest(version), cancellationToken);
        logger.LogInformation("Published {Model} v{Version} from run {RunId}", model, version, runId);
        return version;
    }

    public async Task<ModelManifest?> GetManifestAsync(string model, int version, CancellationToken cancellationToken)
    {
        var blob = await containers.GetBlobAsync(ManifestPath(model, version), cancellationToken);
        try
        {
            var content = (await blob.DownloadContentAsync(cancellationToken)).Value.Content;
            return content.ToObjectFromJson<ModelManifest>(StorageJson.Options);
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<BinaryData> GetModelAsync(string model, int version, CancellationToken cancellationToken)
    {
        var blob = await containers.GetBlobAsync(ModelPath(model, version), cancellationToken);
        return (await blob.DownloadContentAsync(cancellationToken)).Value.Content;
    }

    /// <summary>The version an alias points at, or null when the model has no such alias.</summary>
    public async Task<int?> GetAliasAsync(string model, string alias, CancellationToken cancellationToken) =>
        (await ReadAliasAsync(model, alias, cancellationToken)).Alias?.Version;

    /// <summary>
    /// Points an alias at <paramref name="version"/> unless it already points at that version or a newer one, so
    /// runs publishing concurrently leave it on the newest. Returns the version it points at afterwards.
    /// </summary>
    public async Task<int> AdvanceAliasAsync(string model, string alias, int version, CancellationToken cancellationToken)
    {
        var blob = await containers.GetBlobAsync(AliasPath(model, alias), cancellationToken);
        while (true)
        {
            var (current, etag) = await ReadAliasAsync(model, alias, cancellationToken);
            if (current is not null && current.Version >= version)
            {
                return current.Version;
            }

            try
            {
                await blob.UploadAsync(BinaryData.FromObjectAsJson(new ModelAlias(version), StorageJson.Options), new BlobUploadOptions
                {
                    Conditions = etag is { } match ? new BlobRequestConditions { IfMatch = match } : new BlobRequestConditions { IfNoneMatch = ETag.All },
                    HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                }, cancellationToken);
                logger.LogInformation("Moved {Model} alias {Alias} from v{From} to v{To}", model, alias, current?.Version, version);
                return version;
            }
            catch (RequestFailedException e) when (e.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.Conflict)
            {
                // Someone moved it between our read and write: read again and decide again.
            }
        }
    }

    private async Task<(ModelAlias? Alias, ETag? ETag)> ReadAliasAsync(string model, string alias, CancellationToken cancellationToken)
    {
        var blob = await containers.GetBlobAsync(AliasPath(model, alias), cancellationToken);
        try
        {
            var result = (await blob.DownloadContentAsync(cancellationToken)).Value;
            return (result.Content.ToObjectFromJson<ModelAlias>(StorageJson.Options), result.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
        {
            return (null, null);
        }
    }

    // The version this run already claimed, if any, and the highest version any run has claimed.
    private static async Task<(int? Claimed, int Highest)> FindVersionsAsync(BlobContainerClient container, string model, string runId, CancellationToken cancellationToken)
    {
        int? claimed = null;
        var highest = 0;
        var prefix = $"{model}/v";
        await foreach (var item in container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, prefix, cancellationToken))
        {
            var slash = item.Name.IndexOf('/', prefix.Length);
            if (slash < 0 || !item.Name.EndsWith("/model.zip", StringComparison.Ordinal)
                || !int.TryParse(item.Name.AsSpan(prefix.Length, slash - prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                continue;
            }

            highest = Math.Max(highest, version);
            if (item.Metadata.TryGetValue(RunIdMetadata, out var owner) && owner == runId)
            {
                claimed = version;
            }
        }

        return (claimed, highest);
    }

    private static async Task WriteOnceAsync<T>(BlobContainerClient container, string name, T content, CancellationToken cancellationToken)
    {
        try
        {
            await container.GetBlobClient(name).UploadAsync(BinaryData.FromObjectAsJson(content, StorageJson.Options), new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
            }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.Conflict)
        {
            // Written by an earlier attempt of the same run: it stays as it was.
        }
    }
}
