#if BENCHMARK_ENDPOINTS
using System.Text.Json;

namespace ServerlessML.LocalHost;

/// <summary>
/// The serving benchmark's baseline, compiled only into the benchmark build: an endpoint that parses the same JSON as
/// <c>/api/predict</c> and answers in the same shape and size without a model, so the difference between the two is
/// what serving a prediction costs on top of the web server and the JSON.
/// </summary>
internal static class BenchmarkEcho
{
    public static void MapBenchmarkEcho(this WebApplication app) =>
        app.MapPost("/bench/echo", async (HttpRequest request, CancellationToken cancellationToken) =>
        {
            using var json = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            var root = json.RootElement;
            var instances = root.TryGetProperty("instances", out var list) ? list : root.GetProperty("rows");
            var predictions = new float[instances.GetArrayLength()];
            for (var i = 0; i < predictions.Length; i++)
            {
                predictions[i] = 100.123456f + (i % 97);
            }

            return Results.Json(new { model = root.GetProperty("model").GetString(), version = 1, predictions });
        });
}
#endif
