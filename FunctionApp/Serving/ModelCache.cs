using System.Collections.Concurrent;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessML.ML;
using ServerlessML.Storage;
using ServerlessML.Telemetry;

namespace ServerlessML.Serving;

/// <summary>
/// Published models, loaded once per version (versions never change once written) and kept while used; the
/// <c>production</c> alias is read again at most every <see cref="ServingOptions.AliasRefreshSeconds"/>. While storage
/// cannot be reached, the version production was last read as keeps answering for
/// <see cref="ServingOptions.MaxStaleSeconds"/>; whatever needs storage meanwhile fails at once with
/// <see cref="StorageUnavailableException"/>.
/// </summary>
public sealed class ModelCache(
    [FromKeyedServices(ModelCache.StoreKey)] ModelStore store,
    IOptions<ServingOptions> options,
    TimeProvider clock,
    ILogger<ModelCache> logger)
{
    /// <summary>The key of the <see cref="ModelStore"/> serving reads through: see <see cref="ClientOptions"/>.</summary>
    public const string StoreKey = "serving";

    // How long a request waits for a production read that is slow to answer (storage timing out rather than refusing)
    // when there is an earlier answer to give; the read goes on and its answer serves the requests after it.
    private static readonly TimeSpan SlowRead = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<(string Model, int Version), Entry> _models = new();
    private readonly ConcurrentDictionary<string, AliasLookup> _production = new(StringComparer.Ordinal);

    // The models for which an outage has been logged, so that it is logged once and not once per request.
    private readonly ConcurrentDictionary<string, bool> _outages = new(StringComparer.Ordinal);

    /// <summary>
    /// The blob client serving reads through: a couple of quick retries and a short network timeout, so a predict
    /// request learns of an outage in well under a second where the SDK's defaults (six tries) take half a minute.
    /// </summary>
    public static BlobClientOptions ClientOptions() => new()
    {
        Retry =
        {
            MaxRetries = 2,
            Delay = TimeSpan.FromMilliseconds(100),
            MaxDelay = TimeSpan.FromSeconds(1),
            NetworkTimeout = TimeSpan.FromSeconds(5),
        },
    };

    /// <summary>The version asked for, or the model's production version; null when there is no such model or version.</summary>
    public async Task<LoadedModel?> GetAsync(string model, int? version, CancellationToken cancellationToken)
    {
        var resolved = version ?? await ProductionVersionAsync(model, cancellationToken);
        if (resolved is not { } v)
        {
            return null;
        }

        var entry = _models.GetOrAdd((model, v), key => new Entry(new Lazy<Task<LoadedModel?>>(() => LoadAsync(key.Model, key.Version))));
        entry.LastUsed = clock.GetTimestamp();
        if (entry.Model.Value.IsCompletedSuccessfully && entry.Model.Value.Result is { } ready)
        {
            ServerlessTelemetry.ModelCacheHits.Add(1, ServerlessTelemetry.Tags(model, v));
            return ready;
        }

        try
        {
            var loaded = await entry.Model.Value.WaitAsync(cancellationToken);
            if (loaded is null)
            {
                // Not published (yet): don't remember that, so a version published later is found.
                _models.TryRemove(new KeyValuePair<(string, int), Entry>((model, v), entry));
            }

            return loaded;
        }
        catch when (entry.Model.Value.IsFaulted)
        {
            _models.TryRemove(new KeyValuePair<(string, int), Entry>((model, v), entry));
            throw;
        }
    }

    /// <summary>The versions loaded and ready to serve, most recently used first (for the health report).</summary>
    public IReadOnlyList<(string Model, int Version)> Loaded() =>
        [.. _models
            .Where(p => p.Value.Model.IsValueCreated && p.Value.Model.Value.IsCompletedSuccessfully && p.Value.Model.Value.Result is not null)
            .OrderByDescending(p => p.Value.LastUsed)
            .Select(p => p.Key)];

    /// <summary>The version an alias points at; null when the model has no such alias. Production is read through the
    /// refreshed lookup below; any other alias, rarely asked for at predict, from storage each time.</summary>
    public async Task<LoadedModel?> GetByAliasAsync(string model, string alias, CancellationToken cancellationToken) =>
        alias == ModelStore.Production ? await GetAsync(model, version: null, cancellationToken)
        : await store.GetAliasAsync(model, alias, cancellationToken) is { } version ? await GetAsync(model, version, cancellationToken)
        : null;

    private async Task<int?> ProductionVersionAsync(string model, CancellationToken cancellationToken)
    {
        var now = clock.GetTimestamp();

        // The common case, a fresh answer, reads without writing: AddOrUpdate would take a lock every request.
        if (_production.TryGetValue(model, out var known) && IsFresh(known, now) && known.Read.IsCompletedSuccessfully)
        {
            return known.Read.Result.Version;
        }

        var lookup = _production.AddOrUpdate(
            model,
            _ => Lookup(model, now, previous: null),
            (_, current) => IsFresh(current, now) ? current : Lookup(model, now, current.Read.IsCompletedSuccessfully ? current.Read.Result : current.Previous));
        try
        {
            if (!lookup.Read.IsCompleted && lookup.Previous is { } previous && IsUsable(previous))
            {
                var wait = SlowRead - clock.GetElapsedTime(lookup.Started);
                if (wait <= TimeSpan.Zero)
                {
                    return previous.Version;
                }

                try
                {
                    return (await lookup.Read.WaitAsync(wait, clock, cancellationToken)).Version;
                }
                catch (TimeoutException) when (!lookup.Read.IsCompleted)
                {
                    return previous.Version;
                }
            }

            return (await lookup.Read.WaitAsync(cancellationToken)).Version;
        }
        catch when (lookup.Read.IsFaulted)
        {
            _production.TryRemove(new KeyValuePair<string, AliasLookup>(model, lookup));
            throw;
        }
    }

    private AliasLookup Lookup(string model, long now, AliasRead? previous) => new(now, ReadAliasAsync(model, previous), previous);

    private bool IsFresh(AliasLookup lookup, long now) =>
        !lookup.Read.IsCompleted || clock.GetElapsedTime(lookup.Started, now) < TimeSpan.FromSeconds(options.Value.AliasRefreshSeconds);

    private bool IsUsable(AliasRead read) => clock.GetElapsedTime(read.ReadAt) <= TimeSpan.FromSeconds(options.Value.MaxStaleSeconds);

    // Reads production; when storage cannot be reached, answers with the previous read while that is recent enough.
    private async Task<AliasRead> ReadAliasAsync(string model, AliasRead? previous)
    {
        var started = clock.GetTimestamp();
        try
        {
            var version = await store.GetAliasAsync(model, ModelStore.Production, CancellationToken.None);
            StorageAnswered(model);
            return new AliasRead(version, started);
        }
        catch (Exception e) when (StorageFaults.IsUnreachable(e, out var reason))
        {
            if (previous is not null && IsUsable(previous))
            {
                if (_outages.TryAdd(model, true))
                {
                    logger.AnsweringFromMemory(reason, model, previous.Version, clock.GetElapsedTime(previous.ReadAt).TotalSeconds, options.Value.MaxStaleSeconds);
                }

                return previous;
            }

            if (previous is not null)
            {
                // Logged once: the failed read is forgotten with the answer it could have fallen back on.
                _outages[model] = true;
                logger.ProductionTooStale(reason, model, clock.GetElapsedTime(previous.ReadAt).TotalSeconds, options.Value.MaxStaleSeconds);
            }
            else
            {
                StorageFailed(model, reason);
            }

            throw new StorageUnavailableException(reason, e);
        }
    }

    private async Task<LoadedModel?> LoadAsync(string model, int version)
    {
        ModelManifest? manifest;
        BinaryData zip;
        try
        {
            manifest = await store.GetManifestAsync(model, version, CancellationToken.None);
            if (manifest is null)
            {
                return null;
            }

            zip = await store.GetModelAsync(model, version, CancellationToken.None);
        }
        catch (Exception e) when (StorageFaults.IsUnreachable(e, out var reason))
        {
            StorageFailed(model, reason);
            throw new StorageUnavailableException(reason, e);
        }

        StorageAnswered(model);
        var loaded = new LoadedModel(manifest, ModelTrainer.Load(zip.ToStream()));
        ServerlessTelemetry.ModelCacheLoads.Add(1, ServerlessTelemetry.Tags(model, version));
        logger.Loaded(model, version);
        EvictBeyondCapacity();
        return loaded;
    }

    private void StorageFailed(string model, string reason)
    {
        if (_outages.TryAdd(model, true))
        {
            logger.StorageUnreachable(reason, model);
        }
    }

    private void StorageAnswered(string model)
    {
        if (_outages.TryRemove(model, out _))
        {
            logger.StorageAnswersAgain(model);
        }
    }

    private void EvictBeyondCapacity()
    {
        var excess = _models.Count - options.Value.MaxLoadedModels;
        foreach (var (key, _) in _models.OrderBy(p => p.Value.LastUsed).Take(Math.Max(0, excess)))
        {
            _models.TryRemove(key, out _);
            logger.Unloaded(key.Model, key.Version);
        }
    }

    private sealed class Entry(Lazy<Task<LoadedModel?>> model)
    {
        public Lazy<Task<LoadedModel?>> Model { get; } = model;

        public long LastUsed { get; set; }
    }

    /// <summary>A read of production: when it started, the read itself, and the last answer before it.</summary>
    private sealed record AliasLookup(long Started, Task<AliasRead> Read, AliasRead? Previous);

    /// <summary>What production pointed at, and when storage said so.</summary>
    private sealed record AliasRead(int? Version, long ReadAt);
}
