using System.Diagnostics;
using ServerlessML.Health;
using ServerlessML.Serving;
using ServerlessML.Tests.Infrastructure;

namespace ServerlessML.Tests.Health;

/// <summary><c>GET /api/health</c> through the real function, against Azurite: one the whole run shares, and one of
/// this fixture's own that it stops.</summary>
public sealed class HealthFunctionTests
{
    [Test]
    public async Task Health_StorageAndBackendUp_Returns200WithEachCheckAndTheLoadedModels()
    {
        await using var host = await WorkflowHost.StartAsync();
        var model = ModelNames.Unique("health");
        await host.TrainAsync(model, SyntheticData.Csv(300, withCity: true));
        await host.Get<PredictionService>().PredictAsync(PredictRequests.Instances(model, """[{"x1": 1, "x2": 2, "city": "Oslo"}]"""), CancellationToken.None);

        var response = await HealthAsync(host);

        var checks = response.Json.GetProperty("checks");
        var cache = response.Json.GetProperty("modelCache");
        Assert.That(response.Status, Is.EqualTo(200), response.Body);
        Assert.That(response.ContentType, Does.StartWith("application/json"));
        Assert.That(response.Headers.CacheControl.ToString(), Is.EqualTo("no-store"));
        Assert.That(response.Json.GetProperty("status").GetString(), Is.EqualTo("healthy"));
        Assert.That(checks.GetProperty("storage").GetProperty("status").GetString(), Is.EqualTo("healthy"));
        Assert.That(checks.GetProperty("durableBackend").GetProperty("status").GetString(), Is.EqualTo("healthy"));
        Assert.That(checks.GetProperty("storage").TryGetProperty("reason", out _), Is.False);
        Assert.That(cache.GetProperty("count").GetInt32(), Is.EqualTo(1));
        Assert.That(cache.GetProperty("models")[0].GetProperty("model").GetString(), Is.EqualTo(model));
        Assert.That(cache.GetProperty("models")[0].GetProperty("version").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task Health_StorageStopped_Returns503WithinTheBoundAndSaysWhichCheckFailed()
    {
        await using var azurite = await Azurite.StartAsync(location: null);
        await using var host = await WorkflowHost.StartAsync(new Dictionary<string, string?> { ["Storage:ConnectionString"] = azurite.ConnectionString });
        await azurite.StopAsync();

        var clock = Stopwatch.StartNew();
        var response = await HealthAsync(host);
        var elapsed = clock.Elapsed;

        var storage = response.Json.GetProperty("checks").GetProperty("storage");
        Assert.That(response.Status, Is.EqualTo(503), response.Body);
        Assert.That(response.Json.GetProperty("status").GetString(), Is.EqualTo("unhealthy"));
        Assert.That(storage.GetProperty("status").GetString(), Is.EqualTo("unhealthy"));
        Assert.That(storage.GetProperty("reason").GetString(), Is.EqualTo("connection refused").Or.EqualTo($"no answer within {HealthChecks.Bound.TotalSeconds:0} s"));
        Assert.That(response.Body, Does.Not.Contain("AccountKey").And.Not.Contain("devstoreaccount1").And.Not.Contain("127.0.0.1"));
        Assert.That(elapsed, Is.LessThan(HealthChecks.Bound + TimeSpan.FromSeconds(1)));
    }

    [Test]
    public async Task Health_UnknownQueryParameter_Returns400()
    {
        await using var host = await WorkflowHost.StartAsync();
        var exchange = new HttpExchange("/api/health", null, (string?)null, query: "?verbose=1", method: "GET");

        var response = await Functions.CallAsync<HealthFunction>(host.Services, exchange, f => f.RunAsync(exchange.Request, host.Client, CancellationToken.None));

        Assert.That(response.Status, Is.EqualTo(400), response.Body);
    }

    private static Task<HttpExchange> HealthAsync(WorkflowHost host)
    {
        var exchange = HttpExchange.Get("/api/health");
        return Functions.CallAsync<HealthFunction>(host.Services, exchange, f => f.RunAsync(exchange.Request, host.Client, CancellationToken.None));
    }
}
