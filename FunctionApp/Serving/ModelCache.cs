using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessML.ML;
using ServerlessML.Storage;

namespace ServerlessML.Serving;

/// <summary>
/// Published models, loaded once per version (versions never change once written) and kept while used; the
/// <c>production</c> alias is read again at most every <see cref="ServingOptions.AliasRefreshSeconds"/>.
/// </summary>
public sealed class ModelCache(ModelStore store, IOptions<ServingOptions> options, TimeProvider clock, ILogger<ModelCache> logger)
{
    private readonly ConcurrentDictionary<(string Model, int Version), Entry> _models = new();
    private readonly ConcurrentDictionary<string, AliasLookup> _production = new(StringComparer.Ordinal);

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
        if (_production.TryGetValue(model, out var known) && IsFresh(known, now) && known.Version.IsCompletedSuccessfully)
        {
            return known.Version.Result;
        }

        var lookup = _production.AddOrUpdate(
            model,
            _ => new AliasLookup(now, ReadAliasAsync(model)),
            (_, current) => IsFresh(current, now) ? current : new AliasLookup(now, ReadAliasAsync(model)));
        try
        {
            return await lookup.Version.WaitAsync(cancellationToken);
        }
        catch when (lookup.Version.IsFaulted)
        {
            _production.TryRemove(new KeyValuePair<string, AliasLookup>(model, lookup));
            throw;
        }
    }

    private bool IsFresh(AliasLookup lookup, long now) =>
        !lookup.Version.IsCompleted || clock.GetElapsedTime(lookup.Started, now) < TimeSpan.FromSeconds(options.Value.AliasRefreshSeconds);

    private Task<int?> ReadAliasAsync(string model) => store.GetAliasAsync(model, ModelStore.Production, CancellationToken.None);

    private async Task<LoadedModel?> LoadAsync(string model, int version)
    {
        var manifest = await store.GetManifestAsync(model, version, CancellationToken.None);
        if (manifest is null)
        {
            return null;
        }

        var zip = await store.GetModelAsync(model, version, CancellationToken.None);
        var loaded = new LoadedModel(manifest, ModelTrainer.Load(zip.ToStream()));
        logger.LogInformation("Loaded {Model} v{Version} for serving", model, version);
        EvictBeyondCapacity();
        return loaded;
    }

    private void EvictBeyondCapacity()
    {
        var excess = _models.Count - options.Value.MaxLoadedModels;
        foreach (var (key, _) in _models.OrderBy(p => p.Value.LastUsed).Take(Math.Max(0, excess)))
        {
            _models.TryRemove(key, out _);
            logger.LogInformation("Unloaded {Model} v{Version}, the least recently used", key.Model, key.Version);
        }
    }

    private sealed class Entry(Lazy<Task<LoadedModel?>> model)
    {
        public Lazy<Task<LoadedModel?>> Model { get; } = model;

        public long LastUsed { get; set; }
    }

    private sealed record AliasLookup(long Started, Task<int?> Version);
}
