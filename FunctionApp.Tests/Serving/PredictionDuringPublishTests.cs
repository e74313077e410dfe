using System.Collections.Concurrent;
using System.Text.Json;
using ServerlessML.Serving;
using ServerlessML.Tests.Infrastructure;

namespace ServerlessML.Tests.Serving;

public sealed class PredictionDuringPublishTests
{
    [Test]
    public async Task Predict_ManyParallelRequestsWhileANewVersionIsPublished_AllSucceedFromAWholeModel()
    {
        await using var host = await WorkflowHost.StartAsync();
        var model = ModelNames.Unique("load");
        await host.TrainAsync(model, SyntheticData.Csv(1000, withCity: true, seed: 1));
        var service = host.Get<PredictionService>();
        const string instance = """[{"x1": 2, "x2": -1, "city": "Tromsø"}]""";
        var answers = new ConcurrentBag<PredictionResponse>();
        using var stop = new CancellationTokenSource();

        // A second version trained on a different truth (every label shifted by 100) is told apart by its answer.
        var shifted = SyntheticData.Csv(1000, withCity: true, seed: 2).Split('\n').Select((line, i) => i == 0 || line.Length == 0 ? line : Shift(line, 100));
        var publish = host.TrainAsync(model, string.Join('\n', shifted));
        var load = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                answers.Add(await service.PredictAsync(Request(model, null, instance), CancellationToken.None));
            }
        })).ToArray();
        await publish;
        await WaitUntilAsync(() => answers.Any(a => a.Version == 2));
        await stop.CancelAsync();
        await Task.WhenAll(load);

        var v1 = (await service.PredictAsync(Request(model, 1, instance), CancellationToken.None)).Predictions[0];
        var v2 = (await service.PredictAsync(Request(model, 2, instance), CancellationToken.None)).Predictions[0];
        Assert.That(answers, Has.Count.GreaterThan(100));
        Assert.That(answers.Select(a => a.Version).Distinct(), Is.EquivalentTo(new[] { 1, 2 }));
        Assert.That(answers.Where(a => a.Version == 1).Select(a => a.Predictions[0]), Has.All.EqualTo(v1));
        Assert.That(answers.Where(a => a.Version == 2).Select(a => a.Predictions[0]), Has.All.EqualTo(v2));
        Assert.That(v2 - v1, Is.EqualTo(100).Within(1));
    }

    private static PredictionRequest Request(string model, int? version, string instances) =>
        PredictRequests.Instances(model, instances, version);

    private static string Shift(string line, double by)
    {
        var cut = line.LastIndexOf(',');
        var label = double.Parse(line[(cut + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        return line[..(cut + 1)] + (label + by).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }
}
