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
/// <remarks>
/// An alias never points at a version that is deleted, half-written or missing, whatever runs at the same time in
/// this process or any other, because every change that could break that holds the version's lease
/// (<see cref="VersionLease"/>, a blob lease on its <c>model.zip</c>, the blob a version's life starts and ends with):
/// <list type="bullet">
/// <item>Moving an alias onto v (through the API, or <c>latest</c> and <c>production</c> when a run publishes): under
/// v's lease, check that v is published (manifest there, no tombstone), then write the alias with If-Match on the
/// ETag it was read with, reading and deciding again (still under the lease) when another move got there first.</item>
/// <item>Deleting v: under v's lease, refuse while an alias points at v; otherwise write the tombstone, then delete
/// the manifest, then model.zip (which needs the lease, so that a delete that lost its lease cannot finish).</item>
/// <item>Publishing v: claim the number by creating model.zip (If-None-Match), then under v's lease write the
/// manifest, unless v was deleted in between; then the run takes the next number.</item>
/// </list>
/// So a move onto v and a delete of v never interleave: either the move comes first and the delete finds the alias
/// (<see cref="ConflictException"/>), or the delete comes first and the move finds the tombstone
/// (<see cref="NotFoundException"/>). Moving an alias off v needs no lease on v: it only takes a pointer away.
/// Reading needs none either: a reader sees a version before or after a change. A process that dies holding a
/// lease blocks that one version until the lease runs out; work under a lease sends its last request well before
/// it can run out, so two holders only overlap if a request takes longer than that margin
/// (<see cref="VersionLease"/>) to reach storage. A tombstone wins over whatever a delete that stopped half-way
/// left behind: the version reads as deleted, moves onto it are refused, and deleting it again tidies up.
/// </remarks>
public sealed class ModelStore(BlobContainers containers, TimeProvider clock, ILogger<ModelStore> logger)
{
    public const string Latest = "latest";
    public const string Production = "production";

    private const string RunIdMetadata = "runid";

    public static BlobPath ModelPath(string model, int version) => new(BlobContainers.Models, $"{model}/v{version}/model.zip");

    public static BlobPath ManifestPath(string model, int version) => new(BlobContainers.Models, $"{model}/v{version}/manifest.json");

    public static BlobPath AliasPath(string model, string alias) => new(BlobContainers.Models, $"{model}/aliases/{alias}.json");

    /// <summary>A sample of the version's predictions on its test split (<see cref="ML.TestPredictions"/>), for plots.</summary>
    public static BlobPath TestPredictionsPath(string model, int version) => new(BlobContainers.Models, $"{model}/v{version}/test-predictions.json");

    public static BlobPath TombstonePath(string model, int version) => new(BlobContainers.Models, $"{model}/v{version}/deleted.json");

    private static string HistoryName(string model) => $"{model}/history.jsonl";

    /// <summary>
    /// Claims the next free version for a run's model and writes it. Running it again for the same run, one after the
    /// other or at the same time, finds the version that run already claimed and finishes it if it is half-written,
    /// so a redelivered activity never publishes twice.
    /// </summary>
    public async Task<int> PublishAsync(string model, string runId, BinaryData zip, Func<int, ModelManifest> manifest, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken);
        var versions = await ScanAsync(container, model, only: null, cancellationToken);
        var claimed = versions.FirstOrDefault(v => v.RunId == runId && v.State != ModelVersionState.Deleted)?.Version;
        var next = versions.Count == 0 ? 1 : versions[^1].Version + 1;
        while (true)
        {
            var version = claimed ?? await ClaimAsync(container, model, runId, zip, next, cancellationToken);
            var written = await VersionLease.RunAsync(Blob(container, ModelPath(model, version)), clock, async (lease, token) =>
            {
                if (lease is null)
                {
                    return false;
                }

                if (await Blob(container, TombstonePath(model, version)).ExistsAsync(token))
                {
                    // Deleted while half-written, or a number whose model.zip a delete had just removed: what this run
                    // wrote there is not a version.
                    await Blob(container, ModelPath(model, version)).DeleteIfExistsAsync(conditions: lease, cancellationToken: token);
                    return false;
                }

                await WriteOnceAsync(container, ManifestPath(model, version).Name, manifest(version), token);
                return true;
            }, cancellationToken);
            if (written)
            {
                logger.VersionWritten(model, version, runId);
                return version;
            }

            logger.VersionDeletedBeforeFinished(model, version, runId);
            (claimed, next) = (null, version + 1);
        }
    }

    /// <summary>A version's manifest, or null unless it is published.</summary>
    /// <summary>Keeps a version's test predictions; written once, like the rest of the version.</summary>
    public async Task KeepTestPredictionsAsync(string model, int version, BinaryData content, CancellationToken cancellationToken) =>
        await WriteOnceAsync(await ContainerAsync(cancellationToken), TestPredictionsPath(model, version).Name, content, cancellationToken);

    /// <summary>A version's test predictions, or null when it has none (published before they were kept).</summary>
    public async Task<BinaryData?> GetTestPredictionsAsync(string model, int version, CancellationToken cancellationToken) =>
        await DownloadOrNullAsync(Blob(await ContainerAsync(cancellationToken), TestPredictionsPath(model, version)), cancellationToken);

    public async Task<ModelManifest?> GetManifestAsync(string model, int version, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken);
        var manifest = ReadManifestAsync(container, model, version, cancellationToken);
        var deleted = Blob(container, TombstonePath(model, version)).ExistsAsync(cancellationToken);
        await Task.WhenAll(manifest, deleted);
        return deleted.Result.Value ? null : manifest.Result;
    }

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

    /// <summary>Every version number of a model in use (published, incomplete or deleted), oldest first.</summary>
    public async Task<IReadOnlyList<ModelVersionEntry>> ListVersionEntriesAsync(string model, CancellationToken cancellationToken) =>
        await ScanAsync(await ContainerAsync(cancellationToken), model, only: null, cancellationToken);

    /// <summary>The numbers of a model's published versions, oldest first.</summary>
    public async Task<IReadOnlyList<int>> ListVersionsAsync(string model, CancellationToken cancellationToken) =>
        (await ListVersionEntriesAsync(model, cancellationToken)).Where(v => v.State == ModelVersionState.Published).Select(v => v.Version).ToArray();

    /// <summary>Every published version's manifest, oldest first.</summary>
    public async Task<IReadOnlyList<ModelManifest>> ListManifestsAsync(string model, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken);
        var versions = await ListVersionsAsync(model, cancellationToken);
        var manifests = await Task.WhenAll(versions.Select(v => ReadManifestAsync(container, model, v, cancellationToken)));
        return manifests.OfType<ModelManifest>().ToArray();
    }

    /// <summary>Why a version cannot be served or aliased: it never existed, it is incomplete, or it was deleted.</summary>
    public async Task<NotFoundException> MissingVersionAsync(string model, int version, CancellationToken cancellationToken) =>
        Missing(model, version, (await ScanAsync(await ContainerAsync(cancellationToken), model, version, cancellationToken)).SingleOrDefault());

    /// <summary>Every alias of a model and the version it points at.</summary>
    public async Task<IReadOnlyDictionary<string, int>> ListAliasesAsync(string model, CancellationToken cancellationToken) =>
        await ListAliasesAsync(await ContainerAsync(cancellationToken), model, cancellationToken);

    /// <summary>The version an alias points at, or null when the model has no such alias.</summary>
    public async Task<int?> GetAliasAsync(string model, string alias, CancellationToken cancellationToken) =>
        (await GetAliasStateAsync(model, alias, cancellationToken)).Version;

    public async Task<AliasState> GetAliasStateAsync(string model, string alias, CancellationToken cancellationToken) =>
        await ReadAliasAsync(await containers.GetBlobAsync(AliasPath(model, alias), cancellationToken), cancellationToken);

    /// <summary>
    /// Points an alias at <paramref name="version"/> unless it already points at that version or a newer one, so
    /// runs publishing concurrently leave it on the newest. Returns the version it points at afterwards.
    /// </summary>
    public async Task<int> AdvanceAliasAsync(string model, string alias, int version, string reason, CancellationToken cancellationToken) =>
        (await MoveAliasAsync(model, alias, version, current => current is null || current < version, ifMatch: null, by: null, reason, cancellationToken)).Version!.Value;

    /// <summary>Points an alias at <paramref name="version"/> only while it still points at <paramref name="expected"/>
    /// (null: does not exist yet). Returns whether it points at <paramref name="version"/> afterwards: true also when
    /// it already did, as after an earlier delivery of the same publish.</summary>
    public async Task<bool> MoveAliasIfAsync(string model, string alias, int? expected, int version, string reason, CancellationToken cancellationToken) =>
        (await MoveAliasAsync(model, alias, version, current => current == expected, ifMatch: null, by: null, reason, cancellationToken)).Version == version;

    /// <summary>
    /// Points an alias at <paramref name="version"/>, as a person asked. With <paramref name="ifMatch"/> the alias must
    /// still have that ETag, else <see cref="PreconditionFailedException"/>. Returns the alias's new ETag.
    /// </summary>
    public async Task<AliasState> SetAliasAsync(string model, string alias, int version, string? ifMatch, string? by, CancellationToken cancellationToken) =>
        await MoveAliasAsync(model, alias, version, _ => true, ifMatch, by, "set through the API", cancellationToken);

    /// <summary>
    /// Deletes a published or incomplete version, leaving a tombstone so its number is never reused.
    /// <see cref="ConflictException"/> while an alias points at it; <see cref="NotFoundException"/> when there is no
    /// such version (a deleted one included: deleting it again only tidies up what a stopped delete left).
    /// </summary>
    public async Task DeleteVersionAsync(string model, int version, string? by, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken);
        await VersionLease.RunAsync(Blob(container, ModelPath(model, version)), clock, async (lease, token) =>
        {
            // Without model.zip there was nothing to lease, and nothing an alias can be moved onto either.
            var entry = (await ScanAsync(container, model, version, token)).SingleOrDefault();
            if (entry is null || entry.State == ModelVersionState.Deleted)
            {
                await RemoveFilesAsync(container, model, version, lease, token);
                throw Missing(model, version, entry);
            }

            var pointing = (await ListAliasesAsync(container, model, token)).Where(a => a.Value == version).Select(a => a.Key).Order(StringComparer.Ordinal).ToArray();
            if (pointing.Length > 0)
            {
                throw new ConflictException(
                    $"Version {version} of model '{model}' is what {string.Join(" and ", pointing.Select(a => $"'{a}'"))} point{(pointing.Length == 1 ? "s" : "")} at. " +
                    "Move the alias to another version first.");
            }

            await Blob(container, TombstonePath(model, version)).UploadAsync(
                BinaryData.FromObjectAsJson(new { deleted = clock.GetUtcNow(), by, was = entry.State }, StorageJson.Options), overwrite: true, token);
            await RemoveFilesAsync(container, model, version, lease, token);
            return true;
        }, cancellationToken);
        logger.VersionDeleted(model, version);
    }

    /// <summary>Every alias move of a model, oldest first.</summary>
    public async Task<IReadOnlyList<AliasMove>> GetHistoryAsync(string model, CancellationToken cancellationToken)
    {
        var content = await DownloadOrNullAsync((await ContainerAsync(cancellationToken)).GetBlobClient(HistoryName(model)), cancellationToken);
        return content is null
            ? []
            : content.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonSerializer.Deserialize<AliasMove>(line, ServerlessJson.Options)!).ToArray();
    }

    // Under the target version's lease (see the remarks on the class): reads the alias and, unless it already points
    // at the version or shouldMove says to leave it, writes it under the ETag it read. When someone else moves it in
    // between: with the caller's own ETag that is their PreconditionFailedException; otherwise read and decide
    // again. Returns the alias as it stands afterwards. Already pointing at the version is success without a write,
    // so a repeated move (a redelivered publish, a retried request) leaves one history line.
    private async Task<AliasState> MoveAliasAsync(
        string model, string alias, int version, Func<int?, bool> shouldMove, string? ifMatch, string? by, string reason, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken);
        var blob = Blob(container, AliasPath(model, alias));
        return await VersionLease.RunAsync(Blob(container, ModelPath(model, version)), clock, async (lease, token) =>
        {
            if (lease is null || !await IsPublishedAsync(container, model, version, token))
            {
                throw Missing(model, version, (await ScanAsync(container, model, version, token)).SingleOrDefault());
            }

            while (true)
            {
                var current = await ReadAliasAsync(blob, token);
                if (ifMatch is not null && !SameETag(ifMatch, current.ETag))
                {
                    throw AliasChanged(model, alias, current);
                }

                if (current.Version == version || !shouldMove(current.Version))
                {
                    return current;
                }

                ETag written;
                try
                {
                    written = (await blob.UploadAsync(BinaryData.FromObjectAsJson(new ModelAlias(version), StorageJson.Options), new BlobUploadOptions
                    {
                        Conditions = current.ETag is { } etag ? new BlobRequestConditions { IfMatch = etag } : new BlobRequestConditions { IfNoneMatch = ETag.All },
                        HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                    }, token)).Value.ETag;
                }
                catch (RequestFailedException e) when (e.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.Conflict)
                {
                    if (ifMatch is not null)
                    {
                        throw AliasChanged(model, alias, await ReadAliasAsync(blob, token));
                    }

                    continue;
                }

                // The history is not what the lease protects; written with the caller's token so that a move that is
                // made is also recorded.
                await AppendHistoryAsync(container, model, new AliasMove(clock.GetUtcNow(), alias, current.Version, version, by, reason), cancellationToken);
                logger.AliasMoved(model, alias, current.Version, version, reason);
                return new AliasState(version, written);
            }
        }, cancellationToken);
    }

    private static async Task<bool> IsPublishedAsync(BlobContainerClient container, string model, int version, CancellationToken cancellationToken)
    {
        var manifest = Blob(container, ManifestPath(model, version)).ExistsAsync(cancellationToken);
        var tombstone = Blob(container, TombstonePath(model, version)).ExistsAsync(cancellationToken);
        return (await manifest).Value && !(await tombstone).Value;
    }

    private static async Task<IReadOnlyDictionary<string, int>> ListAliasesAsync(BlobContainerClient container, string model, CancellationToken cancellationToken)
    {
        var prefix = $"{model}/aliases/";
        var names = new List<string>();
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken))
        {
            names.Add(item.Name[prefix.Length..^".json".Length]);
        }

        var states = await Task.WhenAll(names.Select(async alias => (alias, state: await ReadAliasAsync(Blob(container, AliasPath(model, alias)), cancellationToken))));
        return states.Where(s => s.state.Version is not null).ToDictionary(s => s.alias, s => s.state.Version!.Value, StringComparer.Ordinal);
    }

    private static async Task<AliasState> ReadAliasAsync(BlobClient blob, CancellationToken cancellationToken)
    {
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

    private static async Task AppendHistoryAsync(BlobContainerClient container, string model, AliasMove move, CancellationToken cancellationToken)
    {
        var history = container.GetAppendBlobClient(HistoryName(model));
        await history.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(move, ServerlessJson.Options) + "\n");
        await history.AppendBlockAsync(new MemoryStream(line), cancellationToken: cancellationToken);
    }

    private Task<BlobContainerClient> ContainerAsync(CancellationToken cancellationToken) => containers.GetAsync(BlobContainers.Models, cancellationToken);

    private static BlobClient Blob(BlobContainerClient container, BlobPath path) => container.GetBlobClient(path.Name);

    // Creates model.zip at the first free number from version on, which claims that number for the run. A number
    // whose model.zip exists is taken, unless by this very run (a delivery of the same publish running at the same time).
    private static async Task<int> ClaimAsync(BlobContainerClient container, string model, string runId, BinaryData zip, int version, CancellationToken cancellationToken)
    {
        while (true)
        {
            var blob = Blob(container, ModelPath(model, version));
            try
            {
                await blob.UploadAsync(zip, new BlobUploadOptions
                {
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                    HttpHeaders = new BlobHttpHeaders { ContentType = "application/zip" },
                    Metadata = new Dictionary<string, string> { [RunIdMetadata] = runId },
                }, cancellationToken);
                return version;
            }
            catch (RequestFailedException e) when (e.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
            {
                // Conflict: it exists. PreconditionFailed: it exists and someone holds its lease.
                if (await RunIdAsync(blob, cancellationToken) == runId)
                {
                    return version;
                }

                version++;
            }
        }
    }

    private static async Task<string?> RunIdAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            return (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.Metadata.TryGetValue(RunIdMetadata, out var runId) ? runId : null;
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    // The manifest, then model.zip: model.zip goes last because it carries the lease (see the remarks on the class).
    private static async Task RemoveFilesAsync(BlobContainerClient container, string model, int version, BlobRequestConditions? lease, CancellationToken cancellationToken)
    {
        await Blob(container, TestPredictionsPath(model, version)).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        await Blob(container, ManifestPath(model, version)).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        if (lease is not null)
        {
            await Blob(container, ModelPath(model, version)).DeleteIfExistsAsync(conditions: lease, cancellationToken: cancellationToken);
        }
    }

    // What one listing says about each version number in use, oldest first: of one version when only is set.
    private static async Task<IReadOnlyList<ModelVersionEntry>> ScanAsync(BlobContainerClient container, string model, int? only, CancellationToken cancellationToken)
    {
        var found = new SortedDictionary<int, (bool Zip, bool Manifest, bool Tombstone, string? RunId, DateTimeOffset? Created)>();
        await foreach (var item in container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, only is { } v ? $"{model}/v{v}/" : $"{model}/v", cancellationToken))
        {
            if (VersionOf(model, item.Name) is not { } version)
            {
                continue;
            }

            var seen = found.GetValueOrDefault(version);
            switch (item.Name[(item.Name.LastIndexOf('/') + 1)..])
            {
                case "model.zip":
                    seen = seen with { Zip = true, RunId = item.Metadata.TryGetValue(RunIdMetadata, out var runId) ? runId : null, Created = item.Properties.CreatedOn };
                    break;
                case "manifest.json":
                    seen.Manifest = true;
                    break;
                case "deleted.json":
                    seen.Tombstone = true;
                    break;
            }

            found[version] = seen;
        }

        return found.Select(f => new ModelVersionEntry(
            f.Key,
            f.Value.Tombstone ? ModelVersionState.Deleted : f.Value is { Zip: true, Manifest: true } ? ModelVersionState.Published : ModelVersionState.Incomplete,
            f.Value.RunId,
            f.Value.Created)).ToArray();
    }

    private static NotFoundException Missing(string model, int version, ModelVersionEntry? entry) => new(entry?.State switch
    {
        ModelVersionState.Incomplete =>
            $"Model '{model}' has no version {version}: it is incomplete, because the publish of run {entry.RunId ?? "(unknown)"} stopped before the version's " +
            "manifest was written. Publishing that run again finishes it; deleting the version removes it.",
        ModelVersionState.Deleted => $"Model '{model}' has no version {version}: it was deleted.",
        _ => $"Model '{model}' has no version {version}.",
    });

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

    private static async Task<ModelManifest?> ReadManifestAsync(BlobContainerClient container, string model, int version, CancellationToken cancellationToken) =>
        (await DownloadOrNullAsync(Blob(container, ManifestPath(model, version)), cancellationToken))?.ToObjectFromJson<ModelManifest>(StorageJson.Options);

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

    private static Task WriteOnceAsync<T>(BlobContainerClient container, string name, T content, CancellationToken cancellationToken) =>
        WriteOnceAsync(container, name, BinaryData.FromObjectAsJson(content, StorageJson.Options), cancellationToken);

    private static async Task WriteOnceAsync(BlobContainerClient container, string name, BinaryData content, CancellationToken cancellationToken)
    {
        try
        {
            await container.GetBlobClient(name).UploadAsync(content, new BlobUploadOptions
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
