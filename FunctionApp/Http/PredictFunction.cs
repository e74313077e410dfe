using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ServerlessML.Serving;
using ServerlessML.Storage;

namespace ServerlessML.Http;

/// <summary><c>POST /api/predict</c>: predictions from a published model, its production version unless one is named.</summary>
public sealed class PredictFunction(PredictionService predictions, IOptions<ServingOptions> options)
{
    [Function("Predict")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "predict")] HttpRequest request,
        CancellationToken cancellationToken) =>
        await Problems.HandleAsync(async () =>
        {
            var body = await ReadAsync(request, cancellationToken);
            using var json = ParseJson(body);
            return new OkObjectResult(await predictions.PredictAsync(ToRequest(json.RootElement), cancellationToken));
        });

    private async Task<byte[]> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var mediaType = RequestBody.MediaType(request);
        if (!RequestBody.IsJson(mediaType))
        {
            throw RequestBody.UnsupportedMediaType(mediaType, "application/json");
        }

        return await RequestBody.ReadAsync(request, options.Value.MaxRequestBytes, cancellationToken);
    }

    private PredictionRequest ToRequest(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidRequestException("The body must be an object: {\"model\": \"…\", \"instances\": [{…}]} or {\"model\": \"…\", \"rows\": [[…]]}.");
        }

        foreach (var property in root.EnumerateObject())
        {
            if (property.Name is not ("model" or "version" or "instances" or "rows"))
            {
                throw new InvalidRequestException($"The body has '{property.Name}', which is not understood. It takes model, version, and instances or rows.");
            }
        }

        var model = ResourceName.Check(
            root.TryGetProperty("model", out var m) && m.ValueKind != JsonValueKind.Null
                ? m.ValueKind == JsonValueKind.String ? m.GetString()! : throw new InvalidRequestException("'model' must be a string.")
                : ResourceName.DefaultModel,
            "model");

        int? version = root.TryGetProperty("version", out var v) && v.ValueKind != JsonValueKind.Null
            ? v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var number) && number > 0 ? number : throw new InvalidRequestException("'version' must be a positive whole number.")
            : null;

        var instances = Array(root, "instances");
        var rows = Array(root, "rows");
        if ((instances is null) == (rows is null))
        {
            throw new InvalidRequestException("Send either 'instances' (an array of objects keyed by feature name) or 'rows' (an array of value arrays in feature order), not both or neither.");
        }

        var count = (instances ?? rows)!.Value.GetArrayLength();
        if (count == 0 || count > options.Value.MaxInstances)
        {
            throw new InvalidRequestException($"Send between 1 and {options.Value.MaxInstances:N0} {(instances is null ? "rows" : "instances")} per request; got {count:N0}.");
        }

        return new PredictionRequest(model, version, instances, rows);
    }

    private static JsonElement? Array(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.Array ? value
        : throw new InvalidRequestException($"'{name}' must be an array.");

    private static JsonDocument ParseJson(byte[] body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new InvalidRequestException($"The body is not valid JSON: {e.Message}");
        }
    }
}
