using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using OpenTelemetry;
using OpenTelemetry.Trace;
using ServerlessML.Health;
using ServerlessML.Telemetry;
using ServerlessML.Tests.Infrastructure;

namespace ServerlessML.Tests.LocalHost;

/// <summary>The health report and the OpenAPI document over real HTTP on the local host, whose durable backend is the
/// Azure Storage task hub: there the durable check really reaches queues and tables.</summary>
public sealed class LocalHostOperateTests
{
    [Test]
    public async Task Health_OnAzurite_Returns200WithStorageAndTheTaskHubHealthy()
    {
        await using var server = await LocalHostServer.StartAsync();

        using var response = await server.Client.GetAsync("/api/health");
        using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var checks = report.RootElement.GetProperty("checks");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), report.RootElement.ToString());
        Assert.That(checks.GetProperty("storage").GetProperty("status").GetString(), Is.EqualTo("healthy"));
        Assert.That(checks.GetProperty("durableBackend").GetProperty("status").GetString(), Is.EqualTo("healthy"));
        Assert.That(report.RootElement.GetProperty("modelCache").GetProperty("count").GetInt32(), Is.Zero);
    }

    [Test]
    public async Task Health_AzuriteStopped_Returns503WithBothChecksDownWithinTheBound()
    {
        await using var azurite = await Azurite.StartAsync(Path.Combine(Path.GetTempPath(), $"serverlessml-health-{Guid.NewGuid():N}"));
        await using var server = await LocalHostServer.StartAsync(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Storage:ConnectionString"] = azurite.ConnectionString,
        });
        await azurite.StopAsync();

        var clock = Stopwatch.StartNew();
        using var response = await server.Client.GetAsync("/api/health");
        var elapsed = clock.Elapsed;
        using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        // The backend lets go of its leases on a clean stop; give it storage to do that in.
        await azurite.StartAgainAsync();

        var checks = report.RootElement.GetProperty("checks");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), report.RootElement.ToString());
        Assert.That(report.RootElement.GetProperty("status").GetString(), Is.EqualTo("unhealthy"));
        Assert.That(checks.GetProperty("storage").GetProperty("status").GetString(), Is.EqualTo("unhealthy"));
        Assert.That(checks.GetProperty("durableBackend").GetProperty("status").GetString(), Is.EqualTo("unhealthy"));
        Assert.That(elapsed, Is.LessThan(HealthChecks.Bound + TimeSpan.FromSeconds(1)));
    }

    [Test]
    public async Task TrainingRun_OnTheAzureStorageBackend_IsOneTraceFromTheHttpRequestThroughEveryPhase()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(ServerlessTelemetry.Name, ServerlessTelemetry.DurableTaskSource, "Microsoft.AspNetCore")
            .AddInMemoryExporter(spans)
            .Build();
        await using var server = await LocalHostServer.StartAsync();
        var model = ModelNames.Unique("local-traced");

        using var response = await server.Client.PostAsync($"/api/train?model={model}&wait=60", new StringContent(SyntheticData.Csv(300), Encoding.UTF8, "text/csv"));
        tracing.ForceFlush();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var start = spans.Single(s => s.OperationName == "StartTraining" && (string?)s.GetTagItem(ServerlessTelemetry.ModelAttribute) == model);
        var trace = spans.Where(s => s.TraceId == start.TraceId).ToList();
        var request = trace.Single(s => s.SpanId == start.ParentSpanId);
        Assert.That(request.Source.Name, Is.EqualTo("Microsoft.AspNetCore"));
        Assert.That(request.ParentSpanId, Is.EqualTo(default(ActivitySpanId)));
        Assert.That(trace.Where(s => s.Source.Name == ServerlessTelemetry.Name).Select(s => s.OperationName),
            Is.SupersetOf(new[] { "PrepareDataset", "TrainModel", "EvaluateModel", "PublishModel" }));
    }

    [Test]
    public async Task OpenApi_IsServedWithoutAKeyEvenWhenKeysAreConfigured()
    {
        await using var server = await LocalHostServer.StartAsync(new Dictionary<string, string?> { ["LocalHost:Keys:Master"] = "master-key-0123456789", ["LocalHost:Keys:Function:probe"] = "function-key-0123456789" });

        using var document = await server.Client.GetAsync("/api/openapi.json");
        using var health = await server.Client.GetAsync("/api/health");

        Assert.That(document.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(document.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(JsonDocument.Parse(await document.Content.ReadAsStringAsync()).RootElement.GetProperty("openapi").GetString(), Is.EqualTo("3.1.0"));
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
