using ServerlessML.Storage;

namespace ServerlessML.Registry;

/// <summary>
/// The model registry: what is published, where the aliases point, and the rules for changing that (an alias only
/// points at a version that exists; a version an alias points at cannot be deleted).
/// </summary>
public sealed class ModelRegistry(ModelStore store)
{
    public async Task<IReadOnlyList<ModelSummary>> ListAsync(CancellationToken cancellationToken)
    {
        var names = await store.ListModelsAsync(cancellationToken);
        return await Task.WhenAll(names.Select(async name =>
        {
            var versions = await store.ListVersionsAsync(name, cancellationToken);
            var aliases = await store.ListAliasesAsync(name, cancellationToken);
            var production = aliases.TryGetValue(ModelStore.Production, out var p) ? p : (int?)null;
            var metrics = production is { } v ? (await store.GetManifestAsync(name, v, cancellationToken))?.Metrics : null;
            return new ModelSummary(name, versions.Count, aliases.TryGetValue(ModelStore.Latest, out var l) ? l : null, production, metrics);
        }));
    }

    public async Task<ModelDetails> GetAsync(string model, CancellationToken cancellationToken)
    {
        var manifests = await store.ListManifestsAsync(model, cancellationToken);
        var aliases = await store.ListAliasesAsync(model, cancellationToken);
        if (manifests.Count == 0 && aliases.Count == 0)
        {
            throw NoModel(model);
        }

        var versions = manifests
            .Select(m => new ModelVersionSummary(
                m.Version, m.Created, m.Metrics, m.Rows, m.Dataset.Sha256, m.RunId,
                aliases.Where(a => a.Value == m.Version).Select(a => a.Key).Order(StringComparer.Ordinal).ToArray()))
            .ToArray();
        return new ModelDetails(model, aliases, versions, await store.GetHistoryAsync(model, cancellationToken));
    }

    public async Task<ModelManifest> GetVersionAsync(string model, int version, CancellationToken cancellationToken) =>
        await store.GetManifestAsync(model, version, cancellationToken) ?? throw NoVersion(model, version);

    public async Task<Stream> OpenModelAsync(string model, int version, CancellationToken cancellationToken)
    {
        await GetVersionAsync(model, version, cancellationToken);
        return await store.OpenModelAsync(model, version, cancellationToken);
    }

    public async Task<AliasState> GetAliasAsync(string model, string alias, CancellationToken cancellationToken)
    {
        var state = await store.GetAliasStateAsync(model, alias, cancellationToken);
        return state.Version is null ? throw new NotFoundException($"Model '{model}' has no alias '{alias}'.") : state;
    }

    /// <summary>Points an alias at an existing version (promotion, rollback); <paramref name="ifMatch"/> guards a lost race.</summary>
    public async Task<AliasState> SetAliasAsync(string model, string alias, int version, string? ifMatch, string? by, CancellationToken cancellationToken)
    {
        await GetVersionAsync(model, version, cancellationToken);
        return await store.SetAliasAsync(model, alias, version, ifMatch, by, cancellationToken);
    }

    public async Task DeleteVersionAsync(string model, int version, string? by, CancellationToken cancellationToken)
    {
        await GetVersionAsync(model, version, cancellationToken);
        var pointing = (await store.ListAliasesAsync(model, cancellationToken)).Where(a => a.Value == version).Select(a => a.Key).ToArray();
        if (pointing.Length > 0)
        {
            throw new ConflictException(
                $"Version {version} of model '{model}' is what {string.Join(" and ", pointing.Select(a => $"'{a}'"))} point{(pointing.Length == 1 ? "s" : "")} at. " +
                "Move the alias to another version first.");
        }

        await store.DeleteVersionAsync(model, version, by, cancellationToken);
    }

    private static NotFoundException NoModel(string model) => new($"There is no model '{model}'. Train it with POST /api/train?model={model}.");

    private static NotFoundException NoVersion(string model, int version) => new($"Model '{model}' has no version {version}.");
}
