using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessML.Http;
using ServerlessML.Serving;
using ServerlessML.Tests.Infrastructure;

namespace ServerlessML.Tests.Serving;

/// <summary>
/// Predict while storage is away: an Azurite of this fixture's own, with its data on disk, stopped and started again
/// under a host whose models were trained on it. Each test serves through a model cache of its own, so what one test
/// loaded or logged is not another's.
/// </summary>
public sealed class PredictDuringStorageOutageTests
{
    // Well under the SDK's default retries (about 23 s against a refused connection), well over a quick failure.
    private static readonly TimeSpan Fast = TimeSpan.FromSeconds(3);

    private Azurite _azurite = null!;
    private WorkflowHost _host = null!;
    private string _loaded = null!;
    private string _unloaded = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _azurite = await Azurite.StartAsync(Path.Combine(Path.GetTempPath(), $"serverlessml-outage-{Guid.NewGuid():N}"));
        _host = await WorkflowHost.StartAsync(new Dictionary<string, string?> { ["Storage:ConnectionString"] = _azurite.ConnectionString });
        _loaded = ModelNames.Unique("outage");
        _unloaded = ModelNames.Unique("outage-cold");
        await _host.TrainAsync(_loaded, SyntheticData.Csv(300, withCity: true));
        await _host.TrainAsync(_unloaded, SyntheticData.Csv(300, withCity: true, seed: 2));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _host.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    [TearDown]
    public async Task StartStorageAgainAsync()
    {
        if (!_azurite.IsRunning)
        {
            await _azurite.StartAgainAsync();
        }
    }

    [Test]
    public async Task Predict_StorageDown_AnswersFromMemoryAtOnceAndLogsTheOutageOnce()
    {
        // Production is read again on every request, so each of them meets the outage.
        var (predict, log) = Serve(new ServingOptions { AliasRefreshSeconds = 0 });
        var before = await PredictAsync(predict, _loaded);
        await _azurite.StopAsync();

        var clock = Stopwatch.StartNew();
        var during = new[] { await PredictAsync(predict, _loaded), await PredictAsync(predict, _loaded), await PredictAsync(predict, _loaded) };
        var elapsed = clock.Elapsed;

        Assert.That(before.Status, Is.EqualTo(200), before.Body);
        Assert.That(during.Select(r => r.Status), Has.All.EqualTo(200), during[0].Body);
        Assert.That(during.Select(r => r.Json.GetProperty("version").GetInt32()), Has.All.EqualTo(1));
        Assert.That(during.Select(r => r.Json.GetProperty("predictions")[0].GetDouble()), Has.All.EqualTo(before.Json.GetProperty("predictions")[0].GetDouble()));
        Assert.That(elapsed, Is.LessThan(Fast));
        Assert.That(log.At(LogLevel.Warning), Has.Exactly(1).Items);
        Assert.That(log.At(LogLevel.Warning).Single(), Does.Contain("Storage is unreachable (connection refused)").And.Contain(_loaded).And.Contain("v1"));
    }

    [Test]
    public async Task Predict_StorageDown_ModelNotInMemoryAnswers503ProblemWithRetryAfter()
    {
        var (predict, _) = Serve(new ServingOptions());
        await _azurite.StopAsync();

        var clock = Stopwatch.StartNew();
        var response = await PredictAsync(predict, _unloaded);
        var elapsed = clock.Elapsed;

        Assert.That(response.Status, Is.EqualTo(503), response.Body);
        Assert.That(response.ContentType, Does.StartWith("application/problem+json"));
        Assert.That(response.Headers.RetryAfter.ToString(), Is.EqualTo("5"));
        Assert.That(response.Json.GetProperty("detail").GetString(), Is.EqualTo("Storage is unreachable (connection refused); try again in a few seconds."));
        Assert.That(elapsed, Is.LessThan(Fast));
    }

    [Test]
    public async Task Predict_StorageBack_ServesWhatNeededItAndSaysSo()
    {
        var (predict, log) = Serve(new ServingOptions { AliasRefreshSeconds = 0 });
        await PredictAsync(predict, _loaded);
        await _azurite.StopAsync();
        var during = await PredictAsync(predict, _unloaded);

        await _azurite.StartAgainAsync();
        var unloaded = await PredictAsync(predict, _unloaded);
        var loaded = await PredictAsync(predict, _loaded);

        Assert.That(during.Status, Is.EqualTo(503), during.Body);
        Assert.That(unloaded.Status, Is.EqualTo(200), unloaded.Body);
        Assert.That(unloaded.Json.GetProperty("model").GetString(), Is.EqualTo(_unloaded));
        Assert.That(loaded.Status, Is.EqualTo(200), loaded.Body);
        Assert.That(log.At(LogLevel.Information), Has.Some.Contains("Storage answers again").And.Some.Contains(_unloaded));
    }

    [Test]
    public async Task Predict_StorageDownLongerThanMaxStale_StopsAnsweringWithoutAVersionButKeepsANamedOne()
    {
        var clock = new ManualClock();
        var (predict, log) = Serve(new ServingOptions { AliasRefreshSeconds = 0, MaxStaleSeconds = 60 }, clock);
        await PredictAsync(predict, _loaded);
        await _azurite.StopAsync();

        clock.Advance(TimeSpan.FromSeconds(50));
        var withinBound = await PredictAsync(predict, _loaded);
        clock.Advance(TimeSpan.FromSeconds(20));
        var beyondBound = await PredictAsync(predict, _loaded);
        var named = await PredictAsync(predict, _loaded, version: 1);

        Assert.That(withinBound.Status, Is.EqualTo(200), withinBound.Body);
        Assert.That(beyondBound.Status, Is.EqualTo(503), beyondBound.Body);
        Assert.That(named.Status, Is.EqualTo(200), named.Body);
        Assert.That(log.At(LogLevel.Warning), Has.Exactly(2).Items);
        Assert.That(log.At(LogLevel.Warning).Last(), Does.Contain("longer than Serving:MaxStaleSeconds (60)"));
    }

    // A model cache of the test's own behind the real function, so the host's cache and other tests do not matter.
    private (PredictFunction Predict, RecordingLogger<ModelCache> Log) Serve(ServingOptions options, TimeProvider? clock = null)
    {
        var log = new RecordingLogger<ModelCache>();
        var cache = ActivatorUtilities.CreateInstance<ModelCache>(_host.Services, Options.Create(options), clock ?? TimeProvider.System, log);
        var predictions = ActivatorUtilities.CreateInstance<PredictionService>(_host.Services, cache);
        return (ActivatorUtilities.CreateInstance<PredictFunction>(_host.Services, predictions), log);
    }

    private static async Task<HttpExchange> PredictAsync(PredictFunction predict, string model, int? version = null)
    {
        var versionField = version is { } v ? $"\"version\": {v}, " : "";
        var exchange = new HttpExchange("/api/predict", "application/json", $$"""{"model": "{{model}}", {{versionField}}"instances": [{"x1": 1, "x2": 2, "city": "Oslo"}]}""");
        return await exchange.ExecuteAsync(await predict.RunAsync(exchange.Request, CancellationToken.None));
    }
}
