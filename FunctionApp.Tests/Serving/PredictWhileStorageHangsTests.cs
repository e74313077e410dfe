using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using ServerlessML.Serving;
using ServerlessML.Tests.Infrastructure;

namespace ServerlessML.Tests.Serving;

/// <summary>Predict while storage takes connections but never answers: the host reaches Azurite through a relay that hangs.</summary>
public sealed class PredictWhileStorageHangsTests
{
    private HangingRelay _relay = null!;
    private WorkflowHost _host = null!;
    private string _model = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _relay = new HangingRelay(TestEnvironment.Azurite.Port);
        _host = await WorkflowHost.StartAsync(new Dictionary<string, string?> { ["Storage:ConnectionString"] = TestEnvironment.Azurite.ConnectionStringVia(_relay.Port) });
        _model = ModelNames.Unique("hang");
        await _host.TrainAsync(_model, SyntheticData.Csv(300, withCity: true));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _host.DisposeAsync();
        await _relay.DisposeAsync();
    }

    [Test]
    public async Task Predict_StorageHangs_AnswersFromMemoryWithinAboutASecond()
    {
        var service = _host.Get<PredictionService>();
        var before = await service.PredictAsync(PredictRequests.Instances(_model, """[{"x1": 1, "x2": 2, "city": "Oslo"}]"""), CancellationToken.None);
        _relay.Hang();

        var clock = Stopwatch.StartNew();
        var during = new List<PredictionResponse>();
        for (var i = 0; i < 5; i++)
        {
            during.Add(await service.PredictAsync(PredictRequests.Instances(_model, """[{"x1": 1, "x2": 2, "city": "Oslo"}]"""), CancellationToken.None));
        }

        var elapsed = clock.Elapsed;
        _relay.Resume();

        Assert.That(during.Select(p => p.Version), Has.All.EqualTo(before.Version));
        Assert.That(during.Select(p => p.Predictions[0]), Has.All.EqualTo(before.Predictions[0]));
        // The first waits for its read about a second, then the earlier answer; the rest no longer wait for that read.
        Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(2.5)));
    }
}
