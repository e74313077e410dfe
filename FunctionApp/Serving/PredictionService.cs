using System.Globalization;
using System.Text.Json.Serialization;
using ServerlessML.ML;
using ServerlessML.Storage;
using Microsoft.Extensions.Options;

namespace ServerlessML.Serving;

#pragma warning disable CA1819 // An array serializes fastest, and a response is built once and written once.
/// <summary>The answer to a predict request; <see cref="Warnings"/> (left out when there are none) name the values the
/// model was not trained on; <see cref="Explanations"/>, one per instance, are there when asked for.</summary>
public sealed record PredictionResponse(
    string Model,
    int Version,
    float[] Predictions,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<PredictionWarning>? Warnings = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Explanation[]? Explanations = null);
#pragma warning restore CA1819

/// <summary>Answers predict requests from the model cache.</summary>
public sealed class PredictionService(ModelCache cache, IOptions<ServingOptions> options)
{
    /// <param name="explain">Whether to take each prediction apart into its features' contributions.</param>
    public async Task<PredictionResponse> PredictAsync(PredictionRequest request, CancellationToken cancellationToken, bool explain = false)
    {
        // The version the body names before its values is the one to read them for, unless the body names another after
        // them: then the read below finds that out and they are read again, or (when the first one does not even exist)
        // they are skipped over to find the one named after them. JSON gives no way to know the model before its values
        // in one pass when it is named after them.
        var target = request.Target;
        var model = await FindAsync(target, cancellationToken);
        if (model is null && request.WholeTarget() is var whole && whole != target)
        {
            target = whole;
        }

        model ??= await ResolveAsync(target, cancellationToken);
        var (batch, named) = model.Reader.Read(request, options.Value.MaxInstances);
        if (named != target)
        {
            // The body named its model or version after its values: read them again for that model.
            batch.Dispose();
            model = await ResolveAsync(named, cancellationToken);
            (batch, _) = model.Reader.Read(request, options.Value.MaxInstances);
        }

        using (batch)
        {
            return new PredictionResponse(
                model.Manifest.Model,
                model.Manifest.Version,
                model.Predict(batch),
                model.Warnings.Check(batch),
                explain ? model.Explain(batch) ?? throw new ConflictException($"Model '{model.Manifest.Model}' v{model.Manifest.Version} cannot be explained: its trainer has no feature contribution calculation.") : null);
        }
    }

    private Task<LoadedModel?> FindAsync(ModelTarget target, CancellationToken cancellationToken) =>
        target.Version is { } version
            ? cache.GetAsync(target.Model, version, cancellationToken)
            : cache.GetByAliasAsync(target.Model, target.AliasOrProduction, cancellationToken);

    private async Task<LoadedModel> ResolveAsync(ModelTarget target, CancellationToken cancellationToken) =>
        await FindAsync(target, cancellationToken) ?? throw NotFound(target);

    private static NotFoundException NotFound(ModelTarget target) => target switch
    {
        { Version: { } v } => new($"Model '{target.Model}' has no version {v}."),
        { Alias: null or ModelStore.Production } => new($"Model '{target.Model}' has no production version. Train it first with POST /api/train?model={target.Model}."),
        { Alias: var alias } => new($"Model '{target.Model}' has no alias '{alias}'.{VersionHint(alias)}"),
    };

    // "version": "3" or "v3" is most likely a version number sent as a string.
    private static string VersionHint(string alias) =>
        int.TryParse(alias.AsSpan(alias.StartsWith('v') ? 1 : 0), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? $" For version {number}, send \"version\": {number}, a number."
            : "";
}
