using ServerlessML.ML;
using ServerlessML.Storage;
using ServerlessML.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ServerlessML.Tests.Storage;

/// <summary>The model store's guarantees, against a real Azurite.</summary>
public sealed class ModelStoreTests
{
    private ServiceProvider _services = null!;
    private ModelStore _store = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        _services = AppServices.Build();
        _store = _services.GetRequiredService<ModelStore>();
    }

    [OneTimeTearDown]
    public async Task TearDownAsync() => await _services.DisposeAsync();

    [Test]
    public async Task Publish_ConcurrentRuns_GetDistinctVersions()
    {
        var model = ModelNames.Unique("race");

        var versions = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => PublishAsync(model, $"run-{i}")));

        Assert.That(versions, Is.EquivalentTo(Enumerable.Range(1, 8)));
        foreach (var version in versions)
        {
            Assert.That((await _store.GetManifestAsync(model, version, CancellationToken.None))!.Version, Is.EqualTo(version));
        }
    }

    [Test]
    public async Task Publish_SameRunAgain_ReturnsTheVersionItAlreadyClaimed()
    {
        var model = ModelNames.Unique("retry");
        await PublishAsync(model, "other");

        var first = await PublishAsync(model, "mine");
        var again = await PublishAsync(model, "mine");

        Assert.That(again, Is.EqualTo(first));
        Assert.That(await _store.GetManifestAsync(model, first + 1, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Publish_NeverOverwritesAWrittenManifest()
    {
        var model = ModelNames.Unique("once");
        var version = await PublishAsync(model, "run", created: DateTimeOffset.UnixEpoch);

        await _store.PublishAsync(model, "run", BinaryData.FromString("zip"), v => Manifest(model, v, "run", DateTimeOffset.UtcNow), CancellationToken.None);

        Assert.That((await _store.GetManifestAsync(model, version, CancellationToken.None))!.Created, Is.EqualTo(DateTimeOffset.UnixEpoch));
    }

    [Test]
    public async Task AdvanceAlias_ConcurrentMoves_EndOnTheNewestAndNeverGoBack()
    {
        var model = ModelNames.Unique("alias");

        await Task.WhenAll(Enumerable.Range(1, 10).Select(v => _store.AdvanceAliasAsync(model, ModelStore.Latest, v, "test", CancellationToken.None)));
        var afterOlder = await _store.AdvanceAliasAsync(model, ModelStore.Latest, 3, "test", CancellationToken.None);

        Assert.That(await _store.GetAliasAsync(model, ModelStore.Latest, CancellationToken.None), Is.EqualTo(10));
        Assert.That(afterOlder, Is.EqualTo(10));
    }

    [Test]
    public async Task GetAlias_UnknownModel_IsNull()
    {
        var version = await _store.GetAliasAsync(ModelNames.Unique("none"), ModelStore.Production, CancellationToken.None);

        Assert.That(version, Is.Null);
    }

    private Task<int> PublishAsync(string model, string runId, DateTimeOffset? created = null) =>
        _store.PublishAsync(model, runId, BinaryData.FromString("zip"), v => Manifest(model, v, runId, created ?? DateTimeOffset.UtcNow), CancellationToken.None);

    private static ModelManifest Manifest(string model, int version, string runId, DateTimeOffset created) => new(
        model,
        version,
        created,
        runId,
        new ModelSchema("y", [new FeatureSchema("x", ServerlessML.Data.ColumnKind.Numeric)]),
        new TrainingSettings("Sdca", new TrainerOptions(), 0.2, 42),
        new RegressionMetrics(1, 0, 0, 1),
        new RowCounts(8, 2),
        new DatasetReference("datasets/x.csv", "00"),
        "5.0.1");
}
