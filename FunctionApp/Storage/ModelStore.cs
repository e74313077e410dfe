using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;

namespace ServerlessML.Storage;

/// <summary>
/// Published models: <c>models/{model}/v{n}/model.zip</c> and <c>manifest.json</c>, written once and never
/// overwritten; aliases (<c>models/{model}/aliases/{alias}.json</c>) moved with ETag conditions; every alias move
/// appended to <c>models/{model}/history.jsonl</c>. A deleted version leaves a tombstone so its number is never
/// given out again.
/// </summary>
public sealed class ModelStore(BlobContainers containers, TimeProvider clock, ILogger<ModelStore> logger)
{
    public const string Latest = "latest";
    public const string Production = "production";

    private const string RunIdMetadata = "runid";

    public static BlobPath ModelPath(string model, int version) => new(BlobContainers.Models, $"{model}/v{version}/model.zip");

    public static BlobPath ManifestPath(string model, int version) => new(BlobContainers.Models, $"{model}/v{version}/manifest.json");

    public static BlobPath AliasPath(string model, string alias) => new(BlobContainers.Models, $"{model}/aliases/{alias}.json");

    private static string TombstoneName(string model, int version) => $"{model}/v{version}/deleted.json";

    private static string HistoryName(string model) => $"{model}/history.jsonl";

    /// <summary>
    /// Claims the next free version for a run's model and writes it. Running it again for the same run finds the
    /// version that run already claimed, so a retried activity never publishes twice.
    /// </summary>
    public async Task<int> PublishAsync(string model, string runId, BinaryData zip, Func<int, ModelManifest> manifest, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken);
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
        logger.LogDebug("Wrote {Model} v{Version} for run {RunId}", model, version, runId);
        return version;
    }

    public async Task<ModelManifest?> GetManifestAsync(string model, int version, CancellationToken cancellationToken) =>
        (await DownloadOrNullAsync(await containers.GetBlobAsync(ManifestPath(model, version), cancellationToken), cancellationToken))
            ?.ToObjectFromJson<ModelManifest>(StorageJson.Options);

    public async Task<BinaryData> GetModelAsync(string model, int version, CancellationToken cancellationToken)
    {
        var blob = await containers.GetBlobAsync(ModelPath(model, version), cancellationToken);
        return (await blob.DownloadContentAsync(cancellationToken)).Value.Content;
    }

    public async Task<Stream> OpenModelAsync(string model, int version, CancellationToken cancellationToken)
    {
        var blob = await containers.GetBlobAsync(ModelPath(model, version), cancellationToken);
        return await blob.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false), cancellationToken);
    }

    /// <summary>The names of all models with anything published.</summary>
    public async Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken);
        var models = new List<string>();
        await foreach (var item in container.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", prefix: null, cancellationToken))
        {
            if (item.IsPrefix)
            {
                models.Add(item.Prefix.TrimEnd('/'));
            }
        }

        return models;
    }

    /// <summary>The numbers of a model's published (not deleted) versions, oldest first.</summary>
    public async Task<IReadOnlyList<int>> ListVersionsAsync(string model, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken);
        var versions = new List<int>();
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{model}/v", cancellationToken))
        {
            if (item.Name.EndsWith("/manifest.json", StringComparison.Ordinal) && VersionOf(model, item.Name) is { } version)
            {
                versions.Add(version);
            }
        }

        return [.. versions.Order()];
    }

    /// <summary>Every published version's manifest, oldest first.</summary>
    public async Task<IReadOnlyList<ModelManifest>> ListManifestsAsync(string model, CancellationToken cancellationToken)
    {
        var versions = await ListVersionsAsync(model, cancellationToken);
        var manifests = await Task.WhenAll(versions.Select(v => GetManifestAsync(model, v, cancellationToken)));
        return manifests.OfType<ModelManifest>().ToArray();
    }

    /// <summary>Every alias of a model and the version it points at.</summary>
    public async Task<IReadOnlyDictionary<string, int>> ListAliasesAsync(string model, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken);
        var prefix = $"{model}/aliases/";
        var names = new List<string>();
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken))
        {
            names.Add(item.Name[prefix.Length..^".json".Length]);
        }

        var states = await Task.WhenAll(names.Select(async alias => (alias, state: await GetAliasStateAsync(model, alias, cancellationToken))));
        return states.Where(s => s.state.Version is not null).ToDictionary(s => s.alias, s => s.state.Version!.Value, StringComparer.Ordinal);
    }

    /// <summary>The version an alias points at, or null when the model has no such alias.</summary>
    public async Task<int?> GetAliasAsync(string model, string alias, CancellationToken cancellationToken) =>
        (await GetAliasStateAsync(model, alias, cancellationToken)).Version;

    public async Task<AliasState> GetAliasStateAsync(string model, string alias, CancellationToken cancellationToken)
    {
        var blob = await containers.GetBlobAsync(AliasPath(model, alias), cancellationToken);
        try
        {
            var result = (await blob.DownloadContentAsync(cancellationToken)).Value;
            return new AliasState(result.Content.ToObjectFromJson<ModelAlias>(StorageJson.Options)!.Version, result.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
        {
            return new AliasState(null, null);
        }
    }

    /// <summary>
    /// Points an alias at <paramref name="version"/> unless it already points at that version or a newer one, so
    /// runs publishing concurrently leave it on the newest. Returns the version it points at afterwards.
    /// </summary>
    public async Task<int> AdvanceAliasAsync(string model, string alias, int version, string reason, CancellationToken cancellationToken) =>
        (await UpdateAliasAsync(model, alias, current => current.Version >= version ? null : version, ifMatch: null, by: null, reason, cancellationToken)).Version!.Value;

    /// <summary>Points an alias at <paramref name="version"/> only while it still points at <paramref name="expected"/>
    /// (null: does not exist yet). Returns whether it moved.</summary>
    public async Task<bool> MoveAliasIfAsync(string model, string alias, int? expected, int version, string reason, CancellationToken cancellationToken) =>
        (await UpdateAliasAsync(model, alias, current => current.Version == expected ? version : null, ifMatch: null, by: null, reason, cancellationToken)).Version == version;

    /// <summary>
    /// Points an alias at <paramref name="version"/>, as a person asked. With <paramref name="ifMatch"/> the alias must
    /// still have that ETag, else <see cref="PreconditionFailedException"/>. Returns the alias's new ETag.
    /// </summary>
    public async Task<AliasState> SetAliasAsync(string model, string alias, int version, string? ifMatch, string? by, CancellationToken cancellationToken) =>
        await UpdateAliasAsync(model, alias, _ => version, ifMatch, by, "set through the API", cancellationToken);

    /// <summary>Removes a version's model and manifest, leaving a tombstone so the number is never reused.</summary>
    public async Task DeleteVersionAsync(string model, int version, string? by, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken);
        await container.GetBlobClient(TombstoneName(model, version)).UploadAsync(
            BinaryData.FromObjectAsJson(new { deleted = clock.GetUtcNow(), by }, StorageJson.Options), overwrite: true, cancellationToken);
        await container.DeleteBlobIfExistsAsync(ManifestPath(model, version).Name, cancellationToken: cancellationToken);
        await container.DeleteBlobIfExistsAsync(ModelPath(model, version).Name, cancellationToken: cancellationToken);
        logger.LogInformation("Deleted {Model} v{Version}", model, version);
    }

    /// <summary>Every alias move of a model, oldest first.</summary>
    public async Task<IReadOnlyList<AliasMove>> GetHistoryAsync(string model, CancellationToken cancellationToken)
    {
        var content = await DownloadOrNullAsync((await ContainerAsync(cancellationToken)).GetBlobClient(HistoryName(model)), cancellationToken);
        return content is null
            ? []
            : content.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonSerializer.Deserialize<AliasMove>(line, ServerlessJson.Options)!).ToArray();
    }

    // Reads the alias, asks decide what it should point at (null: leave it), and writes that under the ETag it read.
    // When someone else moves it in between: with the caller's own ETag that is their 412; otherwise decide again.
    // Returns the alias as it stands afterwards.
    private async Task<AliasState> UpdateAliasAsync(
        string model, string alias, Func<AliasState, int?> decide, string? ifMatch, string? by, string reason, CancellationToken cancellationToken)
    {
        var blob = await containers.GetBlobAsync(AliasPath(model, alias), cancellationToken);
        while (true)
        {
            var current = await GetAliasStateAsync(model, alias, cancellationToken);
            if (ifMatch is not null && !SameETag(ifMatch, current.ETag))
            {
                throw AliasChanged(model, alias, current);
            }

            if (decide(current) is not { } target)
            {
                return current;
            }

            ETag written;
            try
            {
                written = (await blob.UploadAsync(BinaryData.FromObjectAsJson(new ModelAlias(target), StorageJson.Options), new BlobUploadOptions
                {
                    Conditions = current.ETag is { } etag ? new BlobRequestConditions { IfMatch = etag } : new BlobRequestConditions { IfNoneMatch = ETag.All },
                    HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                }, cancellationToken)).Value.ETag;
            }
            catch (RequestFailedException e) when (e.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.Conflict)
            {
                if (ifMatch is not null)
                {
                    throw AliasChanged(model, alias, await GetAliasStateAsync(model, alias, cancellationToken));
                }

                continue;
            }

            await AppendHistoryAsync(model, new AliasMove(clock.GetUtcNow(), alias, current.Version, target, by, reason), cancellationToken);
            logger.LogInformation("Moved {Model} alias {Alias} from v{From} to v{To}: {Reason}", model, alias, current.Version, target, reason);
            return new AliasState(target, written);
        }
    }

    private async Task AppendHistoryAsync(string model, AliasMove move, CancellationToken cancellationToken)
    {
        var history = (await ContainerAsync(cancellationToken)).GetAppendBlobClient(HistoryName(model));
        await history.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(move, ServerlessJson.Options) + "\n");
        await history.AppendBlockAsync(new MemoryStream(line), cancellationToken: cancellationToken);
    }

    private Task<BlobContainerClient> ContainerAsync(CancellationToken cancellationToken) => containers.GetAsync(BlobContainers.Models, cancellationToken);

    // The version this run already claimed, if any, and the highest version ever claimed (deleted ones included).
    private static async Task<(int? Claimed, int Highest)> FindVersionsAsync(BlobContainerClient container, string model, string runId, CancellationToken cancellationToken)
    {
        int? claimed = null;
        var highest = 0;
        await foreach (var item in container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, $"{model}/v", cancellationToken))
        {
            if (VersionOf(model, item.Name) is not { } version)
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

    // The n of a blob named {model}/v{n}/…, or null for anything else.
    private static int? VersionOf(string model, string blobName)
    {
        var start = model.Length + 2;
        var slash = blobName.IndexOf('/', start);
        return slash > start && int.TryParse(blobName.AsSpan(start, slash - start), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : null;
    }

    private static bool SameETag(string header, ETag? etag) =>
        header.Trim() == "*" ? etag is not null : etag is { } e && Unquote(header) == Unquote(e.ToString());

    private static string Unquote(string etag) => etag.Trim().TrimStart('W', '/').Trim('"');

    private static PreconditionFailedException AliasChanged(string model, string alias, AliasState now) => new(
        $"Alias '{alias}' of model '{model}' has changed (it now points at {(now.Version is { } v ? $"v{v}" : "nothing")}, ETag {now.ETag?.ToString() ?? "none"}). " +
        "Read it again and decide again.");

    private static async Task<BinaryData?> DownloadOrNullAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            return (await blob.DownloadContentAsync(cancellationToken)).Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
        {
            return null;
        }
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
