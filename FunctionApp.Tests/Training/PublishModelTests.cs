using Microsoft.Extensions.DependencyInjection;
using ServerlessML.ML;
using ServerlessML.Storage;
using ServerlessML.Tests.Infrastructure;
using ServerlessML.Training;

namespace ServerlessML.Tests.Training;

/// <summary>The publish activity on its own: durable delivery is at least once, so it may run twice for one run.</summary>
public sealed class PublishModelTests
{
    private ServiceProvider _services = null!;

    [OneTimeSetUp]
    public void SetUp() => _services = AppServices.Build();

    [OneTimeTearDown]
    public async Task TearDownAsync() => await _services.DisposeAsync();

    [TestCase(false, TestName = "Publish_DeliveredTwiceOneAfterTheOther_OneVersionSameAliasesOneHistoryLinePerMove")]
    [TestCase(true, TestName = "Publish_DeliveredTwiceAtTheSameTime_OneVersionSameAliasesOneHistoryLinePerMove")]
    public async Task Publish_DeliveredTwice_OneVersionSameAliasesOneHistoryLinePerMove(bool concurrently)
    {
        var model = ModelNames.Unique("twice");
        var store = _services.GetRequiredService<ModelStore>();
        await Manifests.PublishAsync(store, model, "champion");
        await store.AdvanceAliasAsync(model, ModelStore.Latest, 1, "test", CancellationToken.None);
        await store.AdvanceAliasAsync(model, ModelStore.Production, 1, "test", CancellationToken.None);
        var input = await ChallengerBeatingV1Async(model);

        var results = concurrently
            ? await Task.WhenAll(PublishAsync(input), PublishAsync(input))
            : [await PublishAsync(input), await PublishAsync(input)];

        var history = await store.GetHistoryAsync(model, CancellationToken.None);
        Assert.That(input.Promotion.Promote, Is.True);
        Assert.That(results.Select(r => r.Version), Has.All.EqualTo(2));
        Assert.That(results.Select(r => r.Aliases.Order()), Has.All.EqualTo(new[] { ModelStore.Latest, ModelStore.Production }));
        Assert.That(await store.ListVersionsAsync(model, CancellationToken.None), Is.EqualTo(new[] { 1, 2 }));
        Assert.That(await store.ListAliasesAsync(model, CancellationToken.None), Is.EquivalentTo(new Dictionary<string, int> { [ModelStore.Latest] = 2, [ModelStore.Production] = 2 }));
        Assert.That(history.Where(m => m.To == 2).Select(m => (m.Alias, m.From)), Is.EquivalentTo(new[] { (ModelStore.Latest, (int?)1), (ModelStore.Production, (int?)1) }));
        Assert.That((await store.GetManifestAsync(model, 2, CancellationToken.None))!.Warnings, Is.EqualTo(input.Warnings).And.Count.EqualTo(1), "the tiny test split");
    }

    private Task<PublishedModel> PublishAsync(PublishModelInput input) =>
        ActivatorUtilities.CreateInstance<PublishModel>(_services).RunAsync(input, CancellationToken.None);

    // A run whose candidate (stand-in bytes) beat production v1 on its (small) test split, ready to publish.
    private async Task<PublishModelInput> ChallengerBeatingV1Async(string model)
    {
        var runId = Guid.NewGuid().ToString("N");
        var candidate = TrainingRunStore.Candidate(runId);
        await _services.GetRequiredService<TrainingRunStore>().WriteBytesAsync(candidate, BinaryData.FromString("zip"), CancellationToken.None);
        var schema = new ModelSchema("y", [new FeatureSchema("x", ServerlessML.Data.ColumnKind.Numeric, Min: 0, Max: 10)]);
        var request = new TrainingRequest(model, $"datasets/{model}/{runId}.csv", "y", null, 0.2, 42, new TrainerOptions());
        var prepared = new PreparedDataset(TrainingRunStore.TrainSplit(runId).ToString(), TrainingRunStore.TestSplit(runId).ToString(), schema, new RowCounts(160, 20), 5, "00");
        var metrics = new RegressionMetrics(0.9, 0.5, 0.4, 2);
        var promotion = PromotionDecision.Decide(PromotionPolicy.Auto, metrics, new ChampionEvaluation(1, new RegressionMetrics(0.6, 1, 0.8, 2), null));
        return new PublishModelInput(runId, request, candidate.ToString(), prepared, metrics, promotion, TrainingWarnings.Of(schema, prepared.Rows, metrics));
    }
}
