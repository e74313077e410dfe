using Microsoft.Extensions.Options;

namespace ServerlessML.Serving;

#pragma warning disable CA1819 // An array serializes fastest, and a response is built once and written once.
public sealed record PredictionResponse(string Model, int Version, float[] Predictions);
#pragma warning restore CA1819

/// <summary>Answers predict requests from the model cache.</summary>
public sealed class PredictionService(ModelCache cache, IOptions<ServingOptions> options)
{
    public async Task<PredictionResponse> PredictAsync(PredictionRequest request, CancellationToken cancellationToken)
    {
        // The model the body names before its values is the one to read them for, unless the body names another after
        // them: then the read below finds that out, or (when the first one does not even exist) the whole body is scanned.
        var model = await cache.GetAsync(request.Model, request.Version, cancellationToken);
        if (model is null && request.Target() is var (target, targetVersion) && (target, targetVersion) != (request.Model, request.Version))
        {
            request = request with { Model = target, Version = targetVersion };
        }

        model ??= await ResolveAsync(request.Model, request.Version, cancellationToken);
        var (batch, name, version) = model.Reader.Read(request, options.Value.MaxInstances);
        if (name != request.Model || version != request.Version)
        {
            // The body named its model or version after its values: read them again for that model.
            batch.Dispose();
            model = await ResolveAsync(name, version, cancellationToken);
            (batch, _, _) = model.Reader.Read(request with { Model = name, Version = version }, options.Value.MaxInstances);
        }

        using (batch)
        {
            return new PredictionResponse(model.Manifest.Model, model.Manifest.Version, model.Predict(batch));
        }
    }

    private async Task<LoadedModel> ResolveAsync(string model, int? version, CancellationToken cancellationToken) =>
        await cache.GetAsync(model, version, cancellationToken)
        ?? throw new NotFoundException(version is { } v
            ? $"Model '{model}' has no version {v}."
            : $"Model '{model}' has no production version. Train it first with POST /api/train?model={model}.");
}
