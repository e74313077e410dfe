using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using ServerlessML.Serving;
using ServerlessML.Telemetry;

namespace ServerlessML.Http;

/// <summary><c>POST /api/predict</c>: predictions from a published model, its production version unless one is named;
/// <c>?explain=true</c> adds each prediction's feature contributions.</summary>
public sealed class PredictFunction(PredictionService predictions, IOptions<ServingOptions> options)
{
    [Function("Predict")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/predict")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var body = await ReadAsync(request, cancellationToken);
        var response = await predictions.PredictAsync(PredictionRequest.Parse(body.Memory), cancellationToken, Explain(request));
        ServerlessTelemetry.RecordPrediction(response.Model, response.Version, response.Predictions.Length, Stopwatch.GetElapsedTime(started));
        return new JsonResult(response);
    }

    // ?explain=true adds each instance's feature contributions to the answer.
    private static bool Explain(HttpRequest request) =>
        request.Query.TryGetValue("explain", out var value)
        && (bool.TryParse(value.ToString(), out var explain) ? explain : throw new InvalidRequestException($"Query parameter 'explain' must be true or false; got '{value}'."));

    private async Task<PooledBody> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        QueryOptions.Check(request, "explain");
        var mediaType = RequestBody.MediaType(request);
        if (!RequestBody.IsJson(mediaType))
        {
            throw RequestBody.UnsupportedMediaType(mediaType, "application/json");
        }

        RequestBody.CheckJsonCharset(request);

        return await RequestBody.ReadPooledAsync(request, options.Value.MaxRequestBytes, "Serving__MaxRequestBytes", cancellationToken);
    }
}
