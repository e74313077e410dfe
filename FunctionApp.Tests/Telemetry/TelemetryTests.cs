using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ServerlessML.Http;
using ServerlessML.Serving;
using ServerlessML.Telemetry;
using ServerlessML.Tests.Infrastructure;

namespace ServerlessML.Tests.Telemetry;

/// <summary>
/// What a training run and predictions record, collected by OpenTelemetry's in-memory exporter (spans) and a meter
/// listener (metrics) while the real train function runs the real orchestration on the in-process backend.
/// </summary>
public sealed class TelemetryTests
{
    private static readonly string[] s_phases = ["PrepareDataset", "TrainModel", "EvaluateModel", "PublishModel"];

    private WorkflowHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _host = await WorkflowHost.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public async Task TrainingRun_IsOneTraceFromTheRequestThroughEveryActivity_WithRowsDurationsModelAndVersion()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(ServerlessTelemetry.Name, ServerlessTelemetry.DurableTaskSource)
            .AddInMemoryExporter(spans)
            .Build();
        var model = ModelNames.Unique("traced");

        var response = await TrainAsync(model, SyntheticData.Csv(300));
        tracing.ForceFlush();

        Assert.That(response.Status, Is.EqualTo(200), response.Body);
        var start = spans.Single(s => s.OperationName == "StartTraining" && (string?)s.GetTagItem(ServerlessTelemetry.ModelAttribute) == model);
        var run = spans.Where(s => s.TraceId == start.TraceId).ToList();
        var phase = s_phases.ToDictionary(p => p, p => run.Single(s => s.Source.Name == ServerlessTelemetry.Name && s.OperationName == p));
        var runId = (string)start.GetTagItem(ServerlessTelemetry.RunIdAttribute)!;
        Assert.That(start.ParentSpanId, Is.EqualTo(default(ActivitySpanId)), "the run's span is the trace's root here (no request span around it)");
        Assert.That(run.Select(s => s.DisplayName), Has.Some.EqualTo("orchestration:TrainingOrchestration"));
        Assert.That(phase.Values.Select(s => s.GetTagItem(ServerlessTelemetry.RunIdAttribute)), Has.All.EqualTo(runId));
        // Each phase is a child of the SDK's span of that activity, in the run's trace.
        Assert.That(phase.Select(p => run.Single(s => s.SpanId == p.Value.ParentSpanId).DisplayName), Is.EqualTo(s_phases.Select(p => $"activity:{p}")));
        Assert.That(start.GetTagItem(ServerlessTelemetry.RowsAttribute), Is.EqualTo(300));
        Assert.That(phase["PrepareDataset"].GetTagItem(ServerlessTelemetry.RowsAttribute), Is.EqualTo(300));
        Assert.That(phase["PrepareDataset"].GetTagItem("serverlessml.rows.train"), Is.EqualTo(240));
        Assert.That(phase["PrepareDataset"].GetTagItem("serverlessml.parse.duration"), Is.GreaterThan(0.0));
        Assert.That(phase["TrainModel"].GetTagItem(ServerlessTelemetry.RowsAttribute), Is.EqualTo(240));
        Assert.That(phase["TrainModel"].GetTagItem("serverlessml.fit.duration"), Is.GreaterThan(0.0));
        Assert.That(phase["EvaluateModel"].GetTagItem(ServerlessTelemetry.RowsAttribute), Is.EqualTo(60));
        Assert.That(phase["PublishModel"].GetTagItem(ServerlessTelemetry.ModelAttribute), Is.EqualTo(model));
        Assert.That(phase["PublishModel"].GetTagItem(ServerlessTelemetry.VersionAttribute), Is.EqualTo(1));
        Assert.That(phase.Values.Select(s => s.Duration), Has.All.GreaterThan(TimeSpan.Zero));
    }

    [Test]
    public async Task Predict_RecordsLatencyAndBatchSizeByModelAndVersion_AndCacheLoadsThenHits()
    {
        var model = ModelNames.Unique("metered");
        await TrainAsync(model, SyntheticData.Csv(300, withCity: true));
        var measurements = new List<(string Instrument, double Value, string? Model, object? Version)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ServerlessTelemetry.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        listener.Start();

        await PredictAsync(model, """[{"x1": 1, "x2": 2, "city": "Oslo"}]""");
        await PredictAsync(model, """[{"x1": 1, "x2": 2, "city": "Oslo"}, {"x1": 3, "x2": 0, "city": "Bergen"}, {"x1": 0, "x2": 0, "city": "Oslo"}]""");

        List<(string Instrument, double Value)> Of(string name) =>
            [.. measurements.Where(m => m.Instrument == name && m.Model == model).Select(m => (m.Instrument, m.Value))];
        Assert.That(measurements.Where(m => m.Model == model).Select(m => m.Version), Has.All.EqualTo(1));
        Assert.That(Of("serverlessml.predict.batch_size").Select(m => m.Value), Is.EqualTo(new[] { 1.0, 3.0 }));
        Assert.That(Of("serverlessml.predict.duration"), Has.Count.EqualTo(2));
        Assert.That(Of("serverlessml.predict.duration").Select(m => m.Value), Has.All.GreaterThan(0.0));
        Assert.That(Of("serverlessml.model_cache.loads"), Has.Count.EqualTo(1));
        Assert.That(Of("serverlessml.model_cache.hits"), Has.Count.EqualTo(1));

        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? taggedModel = null;
            object? version = null;
            foreach (var (key, tag) in tags)
            {
                taggedModel = key == ServerlessTelemetry.ModelAttribute ? tag as string : taggedModel;
                version = key == ServerlessTelemetry.VersionAttribute ? tag : version;
            }

            lock (measurements)
            {
                measurements.Add((instrument.Name, value, taggedModel, version));
            }
        }
    }

    [TestCase(null, null, null, false)]
    [TestCase("InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/", null, null, true)]
    [TestCase(null, "http://127.0.0.1:9", null, true)]
    [TestCase(null, null, "true", true)]
    [TestCase("InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/", "http://127.0.0.1:9", "true", true)]
    public void Registration_ListensOnlyWhenSomethingExports(string? azureMonitor, string? otlp, string? console, bool listens)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [TelemetryRegistration.AzureMonitorSetting] = azureMonitor,
            ["Telemetry:OtlpEndpoint"] = otlp,
            ["Telemetry:Console"] = console,
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddServerlessTelemetry(configuration);
        using var provider = services.BuildServiceProvider();

        var tracer = provider.GetService<TracerProvider>();
        var meter = provider.GetService<MeterProvider>();

        Assert.That(tracer is not null, Is.EqualTo(listens));
        Assert.That(meter is not null, Is.EqualTo(listens));
    }

    private async Task<HttpExchange> TrainAsync(string model, string csv)
    {
        var exchange = new HttpExchange("/api/train", "text/csv", csv, $"?model={model}&wait=60");
        return await Functions.CallAsync<TrainFunction>(_host.Services, exchange, f => f.RunAsync(exchange.Request, _host.Client, CancellationToken.None));
    }

    private async Task PredictAsync(string model, string instances)
    {
        var exchange = new HttpExchange("/api/predict", "application/json", $$"""{"model": "{{model}}", "instances": {{instances}}}""");
        var response = await Functions.CallAsync<PredictFunction>(_host.Services, exchange, f => f.RunAsync(exchange.Request, CancellationToken.None));
        Assert.That(response.Status, Is.EqualTo(200), response.Body);
    }
}
