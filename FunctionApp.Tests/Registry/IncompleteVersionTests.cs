using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using ServerlessML.Http;
using ServerlessML.Storage;
using ServerlessML.Tests.Infrastructure;

namespace ServerlessML.Tests.Registry;

/// <summary>A version whose publish stopped between model.zip and its manifest, as the registry's HTTP functions show it.</summary>
public sealed class IncompleteVersionTests
{
    private ServiceProvider _services = null!;

    [OneTimeSetUp]
    public void SetUp() => _services = AppServices.Build();

    [OneTimeTearDown]
    public async Task TearDownAsync() => await _services.DisposeAsync();

    [Test]
    public async Task GetModel_IncompleteVersion_IsListedApartWithItsRun()
    {
        var model = await ModelWithIncompleteV2Async("show");

        var show = await CallAsync(HttpExchange.Get($"/api/models/{model}"), (f, r) => f.GetAsync(r, model, CancellationToken.None));

        Assert.That(show.Status, Is.EqualTo(200), show.Body);
        Assert.That(show.Json.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()), Is.EqualTo(new[] { 1 }));
        var incomplete = show.Json.GetProperty("incomplete").EnumerateArray().Single();
        Assert.That(incomplete.GetProperty("version").GetInt32(), Is.EqualTo(2));
        Assert.That(incomplete.GetProperty("runId").GetString(), Is.EqualTo("crashed"));
    }

    [Test]
    public async Task GetVersionAndSetAlias_IncompleteVersion_Answer404SayingWhy()
    {
        var model = await ModelWithIncompleteV2Async("refuse");

        var get = await CallAsync(HttpExchange.Get($"/api/models/{model}/versions/2"), (f, r) => f.GetVersionAsync(r, model, "2", CancellationToken.None));
        var put = new HttpExchange($"/api/models/{model}/aliases/production", "application/json", """{"version": 2}""", method: "PUT");
        var set = await CallAsync(put, (f, r) => f.SetAliasAsync(r, model, "production", CancellationToken.None));

        Assert.That(get.Status, Is.EqualTo(404));
        Assert.That(get.Json.GetProperty("detail").GetString(), Does.Contain("incomplete").And.Contain("run crashed"));
        Assert.That(set.Status, Is.EqualTo(404));
        Assert.That(set.Json.GetProperty("detail").GetString(), Does.Contain("incomplete"));
        Assert.That(await _services.GetRequiredService<ModelStore>().GetAliasAsync(model, ModelStore.Production, CancellationToken.None), Is.EqualTo(1));
    }

    [Test]
    public async Task DeleteVersion_IncompleteVersion_RemovesItAndItsNumberIsNeverReused()
    {
        var model = await ModelWithIncompleteV2Async("delete");
        var store = _services.GetRequiredService<ModelStore>();

        var delete = await CallAsync(HttpExchange.Delete($"/api/models/{model}/versions/2"), (f, r) => f.DeleteVersionAsync(r, model, "2", CancellationToken.None));
        var again = await CallAsync(HttpExchange.Delete($"/api/models/{model}/versions/2"), (f, r) => f.DeleteVersionAsync(r, model, "2", CancellationToken.None));
        var show = await CallAsync(HttpExchange.Get($"/api/models/{model}"), (f, r) => f.GetAsync(r, model, CancellationToken.None));
        var next = await Manifests.PublishAsync(store, model, "next");

        var models = _services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(BlobContainers.Models);
        Assert.That(delete.Status, Is.EqualTo(204), delete.Body);
        Assert.That(again.Status, Is.EqualTo(404));
        Assert.That(again.Json.GetProperty("detail").GetString(), Does.Contain("it was deleted"));
        Assert.That((await models.GetBlobClient(ModelStore.ModelPath(model, 2).Name).ExistsAsync()).Value, Is.False);
        Assert.That((await models.GetBlobClient(ModelStore.TombstonePath(model, 2).Name).ExistsAsync()).Value, Is.True);
        Assert.That(show.Json.GetProperty("incomplete").GetArrayLength(), Is.Zero);
        Assert.That(next, Is.EqualTo(3));
    }

    // v1 published and in production, v2 left half-written by run "crashed".
    private async Task<string> ModelWithIncompleteV2Async(string prefix)
    {
        var model = ModelNames.Unique(prefix);
        var store = _services.GetRequiredService<ModelStore>();
        await Manifests.PublishAsync(store, model, "first");
        await store.SetAliasAsync(model, ModelStore.Production, 1, ifMatch: null, by: null, CancellationToken.None);
        await Manifests.WriteIncompleteAsync(_services.GetRequiredService<BlobServiceClient>(), model, 2, "crashed");
        return model;
    }

    private Task<HttpExchange> CallAsync(HttpExchange exchange, Func<ModelFunctions, Microsoft.AspNetCore.Http.HttpRequest, Task<Microsoft.AspNetCore.Mvc.IActionResult>> call) =>
        Functions.CallAsync<ModelFunctions>(_services, exchange, f => call(f, exchange.Request));
}
