using System.Text.Json;
using ServerlessML.ML;

namespace ServerlessML.Serving;

/// <summary>A predict request: the model (and optionally its version) and either records or positional rows.</summary>
public sealed record PredictionRequest(string Model, int? Version, JsonElement? Instances, JsonElement? Rows);

public sealed record PredictionResponse(string Model, int Version, IReadOnlyList<float> Predictions);

/// <summary>Answers predict requests from the model cache.</summary>
public sealed class PredictionService(ModelCache cache)
{
    public async Task<PredictionResponse> PredictAsync(PredictionRequest request, CancellationToken cancellationToken)
    {
        var model = await cache.GetAsync(request.Model, request.Version, cancellationToken)
            ?? throw new NotFoundException(request.Version is { } version
                ? $"Model '{request.Model}' has no version {version}."
                : $"Model '{request.Model}' has no production version. Train it first with POST /api/train?model={request.Model}.");

        FeatureBatch batch = request.Instances is { } instances
            ? model.Reader.FromInstances(instances)
            : model.Reader.FromRows(request.Rows!.Value);
        return new PredictionResponse(request.Model, model.Manifest.Version, model.Predict(batch));
    }
}
