using ServerlessML.ML;
using ServerlessML.Storage;

namespace ServerlessML.Registry;

/// <summary>
/// The model registry: what is published, where the aliases point, and the rules for changing that (an alias only
/// points at a published version; a version an alias points at cannot be deleted), which <see cref="ModelStore"/>
/// keeps in storage itself, so that they hold across every instance of the app.
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
        var entries = await store.ListVersionEntriesAsync(model, cancellationToken);
        var manifests = await store.ListManifestsAsync(model, cancellationToken);
        var incomplete = entries
            .Where(e => e.State == ModelVersionState.Incomplete)
            .Select(e => new IncompleteVersion(e.Version, e.RunId, e.Created))
            .ToArray();
        var aliases = await store.ListAliasesAsync(model, cancellationToken);
        if (manifests.Count == 0 && incomplete.Length == 0 && aliases.Count == 0)
        {
            throw NoModel(model);
        }

        var versions = manifests
            .Select(m => new ModelVersionSummary(
                m.Version, m.Created, m.Metrics, m.Rows, m.Dataset.Sha256, m.RunId,
                aliases.Where(a => a.Value == m.Version).Select(a => a.Key).Order(StringComparer.Ordinal).ToArray(),
                m.Warnings ?? []))
            .ToArray();
        return new ModelDetails(model, aliases, versions, incomplete, await store.GetHistoryAsync(model, cancellationToken));
    }

    public async Task<ModelManifest> GetVersionAsync(string model, int version, CancellationToken cancellationToken) =>
        await store.GetManifestAsync(model, version, cancellationToken) ?? throw await store.MissingVersionAsync(model, version, cancellationToken);

    /// <summary>The sample of the version's test predictions its run kept, for plots.</summary>
    public async Task<BinaryData> GetTestPredictionsAsync(string model, int version, CancellationToken cancellationToken)
    {
        await GetVersionAsync(model, version, cancellationToken);
        return await store.GetTestPredictionsAsync(model, version, cancellationToken)
            ?? throw new NotFoundException($"Version {version} of model '{model}' has no test predictions: it was published before they were kept. Train it again to see them.");
    }

    public async Task<Stream> OpenModelAsync(string model, int version, CancellationToken cancellationToken)
    {
        await GetVersionAsync(model, version, cancellationToken);
        return await store.OpenModelAsync(model, version, cancellationToken);
    }

    /// <summary>The version as ONNX (<see cref="OnnxExport"/>); a conflict naming its trainer when it cannot be exported.</summary>
    public async Task<byte[]> ExportOnnxAsync(string model, int version, CancellationToken cancellationToken)
    {
        var manifest = await GetVersionAsync(model, version, cancellationToken);
        await using var zip = await store.OpenModelAsync(model, version, cancellationToken);
        try
        {
            return OnnxExport.Export(ModelTrainer.Load(zip), manifest.Schema);
        }
        catch (ConflictException e)
        {
            throw new ConflictException($"Model '{model}' v{version}, trained with {manifest.Training.Trainer}: {e.Message}");
        }
    }

    public async Task<AliasState> GetAliasAsync(string model, string alias, CancellationToken cancellationToken)
    {
        var state = await store.GetAliasStateAsync(model, alias, cancellationToken);
        return state.Version is null ? throw new NotFoundException($"Model '{model}' has no alias '{alias}'.") : state;
    }

    /// <summary>Points an alias at a published version (promotion, rollback); <paramref name="ifMatch"/> guards a lost race.</summary>
    public Task<AliasState> SetAliasAsync(string model, string alias, int version, string? ifMatch, string? by, CancellationToken cancellationToken) =>
        store.SetAliasAsync(model, alias, version, ifMatch, by, cancellationToken);

    /// <summary>Deletes a published or incomplete version that no alias points at.</summary>
    public Task DeleteVersionAsync(string model, int version, string? by, CancellationToken cancellationToken) =>
        store.DeleteVersionAsync(model, version, by, cancellationToken);

    private static NotFoundException NoModel(string model) => new($"There is no model '{model}'. Train it with POST /api/train?model={model}.");
}
