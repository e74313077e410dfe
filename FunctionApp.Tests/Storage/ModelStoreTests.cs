using Azure.Storage.Blobs;
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

        await _store.PublishAsync(model, "run", BinaryData.FromString("zip"), v => Manifests.For(model, v, "run"), CancellationToken.None);

        Assert.That((await _store.GetManifestAsync(model, version, CancellationToken.None))!.Created, Is.EqualTo(DateTimeOffset.UnixEpoch));
    }

    [Test]
    public async Task Publish_SameRunAfterACrashBetweenItsTwoWrites_FinishesTheVersion()
    {
        var model = ModelNames.Unique("finish");
        await Manifests.WriteIncompleteAsync(Blobs, model, 1, "crashed");

        var version = await PublishAsync(model, "crashed");

        Assert.That(version, Is.EqualTo(1));
        Assert.That((await _store.GetManifestAsync(model, 1, CancellationToken.None))!.RunId, Is.EqualTo("crashed"));
        Assert.That(await _store.ListVersionEntriesAsync(model, CancellationToken.None), Is.EqualTo(new[] { Entry(1, ModelVersionState.Published, "crashed") }).Using<ModelVersionEntry>(SameState));
    }

    [Test]
    public async Task Publish_AnotherRun_NeverTakesTheNumberOfAnIncompleteVersion()
    {
        var model = ModelNames.Unique("skip");
        await Manifests.WriteIncompleteAsync(Blobs, model, 1, "crashed");

        var version = await PublishAsync(model, "next");

        Assert.That(version, Is.EqualTo(2));
        Assert.That(await _store.ListVersionEntriesAsync(model, CancellationToken.None), Is.EqualTo(new[]
        {
            Entry(1, ModelVersionState.Incomplete, "crashed"),
            Entry(2, ModelVersionState.Published, "next"),
        }).Using<ModelVersionEntry>(SameState));
        Assert.That(await _store.ListVersionsAsync(model, CancellationToken.None), Is.EqualTo(new[] { 2 }));
    }

    [Test]
    public async Task Publish_SameRunAfterItsIncompleteVersionWasDeleted_TakesTheNextNumber()
    {
        var model = ModelNames.Unique("redeliver");
        await Manifests.WriteIncompleteAsync(Blobs, model, 1, "crashed");
        await _store.DeleteVersionAsync(model, 1, by: null, CancellationToken.None);

        var version = await PublishAsync(model, "crashed");

        Assert.That(version, Is.EqualTo(2));
        Assert.That(await _store.ListVersionEntriesAsync(model, CancellationToken.None), Is.EqualTo(new[]
        {
            Entry(1, ModelVersionState.Deleted, null),
            Entry(2, ModelVersionState.Published, "crashed"),
        }).Using<ModelVersionEntry>(SameState));
    }

    [Test]
    public async Task Publish_SameRunTwiceAtTheSameTime_WritesOneVersion()
    {
        var model = ModelNames.Unique("twice");
        await PublishAsync(model, "other");

        var versions = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PublishAsync(model, "mine")));

        Assert.That(versions, Has.All.EqualTo(2));
        Assert.That(await _store.ListVersionsAsync(model, CancellationToken.None), Is.EqualTo(new[] { 1, 2 }));
    }

    [Test]
    public async Task MoveAlias_OntoADeletedOrIncompleteVersion_IsRefused()
    {
        var model = ModelNames.Unique("refuse");
        await PublishAsync(model, "one");
        await PublishAsync(model, "two");
        await _store.DeleteVersionAsync(model, 2, by: null, CancellationToken.None);
        await Manifests.WriteIncompleteAsync(Blobs, model, 3, "crashed");

        var deleted = Assert.ThrowsAsync<NotFoundException>(() => _store.MoveAliasIfAsync(model, ModelStore.Production, null, 2, "test", CancellationToken.None));
        var incomplete = Assert.ThrowsAsync<NotFoundException>(() => _store.AdvanceAliasAsync(model, ModelStore.Latest, 3, "test", CancellationToken.None));

        Assert.That(deleted!.Message, Does.Contain("it was deleted"));
        Assert.That(incomplete!.Message, Does.Contain("incomplete").And.Contain("crashed"));
        Assert.That(await _store.ListAliasesAsync(model, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task GetManifest_VersionWhoseDeleteStoppedHalfWay_IsNotPublished()
    {
        var model = ModelNames.Unique("tombstone");
        await PublishAsync(model, "one");
        await Blobs.GetBlobContainerClient(BlobContainers.Models).GetBlobClient(ModelStore.TombstonePath(model, 1).Name).UploadAsync(BinaryData.FromString("{}"));

        var manifest = await _store.GetManifestAsync(model, 1, CancellationToken.None);
        var moved = Assert.ThrowsAsync<NotFoundException>(() => _store.AdvanceAliasAsync(model, ModelStore.Latest, 1, "test", CancellationToken.None));
        var again = Assert.ThrowsAsync<NotFoundException>(() => _store.DeleteVersionAsync(model, 1, by: null, CancellationToken.None));

        Assert.That(manifest, Is.Null);
        Assert.That(moved!.Message, Does.Contain("it was deleted"));
        Assert.That(again!.Message, Does.Contain("it was deleted"));
        Assert.That((await Blobs.GetBlobContainerClient(BlobContainers.Models).GetBlobClient(ModelStore.ModelPath(model, 1).Name).ExistsAsync()).Value, Is.False, "the second delete tidied up");
        Assert.That(await _store.ListVersionsAsync(model, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task AdvanceAlias_ConcurrentMoves_EndOnTheNewestAndNeverGoBack()
    {
        var model = ModelNames.Unique("alias");
        for (var i = 1; i <= 10; i++)
        {
            await PublishAsync(model, $"run-{i}");
        }

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

    private BlobServiceClient Blobs => _services.GetRequiredService<BlobServiceClient>();

    private static ModelVersionEntry Entry(int version, ModelVersionState state, string? runId) => new(version, state, runId, null);

    // Entries compared without the time their model.zip was written.
    private static bool SameState(ModelVersionEntry a, ModelVersionEntry b) => a with { Created = null } == b with { Created = null };

    private Task<int> PublishAsync(string model, string runId, DateTimeOffset? created = null) =>
        Manifests.PublishAsync(_store, model, runId, created);
}
