using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using ServerlessML.Storage;
using ServerlessML.Tests.Infrastructure;

namespace ServerlessML.Tests.LocalHost;

/// <summary>
/// Every request of <see cref="RequestCatalogue"/> against the local host over real HTTP: the status it must get, a
/// problem whose detail says what to fix, and nothing stored by it (no blob added or changed in the datasets, models or
/// training containers, no durable instance started). One host and one trained model serve the whole catalogue.
/// </summary>
[NonParallelizable]
public sealed class RequestCatalogueTests
{
    // Small enough for a dataset of a few MB to be over it; every other limit keeps its default.
    private const int MaxCells = 1_000_000;

    private static readonly string[] s_containers = [BlobContainers.Datasets, BlobContainers.Models, BlobContainers.Training];

    private LocalHostServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await LocalHostServer.StartAsync(new Dictionary<string, string?> { ["Training:MaxCells"] = MaxCells.ToString(CultureInfo.InvariantCulture) });
        var client = _server.Client;

        using var train = await client.PostAsync(
            $"/api/train?model={RequestCatalogue.Model}&label=price&wait=120", new ByteArrayContent(RequestCatalogue.Houses) { Headers = { { "Content-Type", "text/csv" } } });
        Assert.That(train.StatusCode, Is.EqualTo(HttpStatusCode.OK), await train.Content.ReadAsStringAsync());

        await UploadAsync(RequestCatalogue.Dataset, RequestCatalogue.Houses);
        await UploadAsync(RequestCatalogue.IdsDataset, Encoding.UTF8.GetBytes("id,y\n" + string.Concat(Enumerable.Range(0, 1200).Select(i => $"user{i},{i}\n"))));
        var columns = string.Join(",", Enumerable.Range(0, 40).Select(i => $"x{i}"));
        var row = string.Join(",", Enumerable.Range(0, 41).Select(i => i % 10));
        await UploadAsync(RequestCatalogue.BigDataset, Encoding.UTF8.GetBytes($"{columns},y\n" + string.Concat(Enumerable.Repeat(row + "\n", (MaxCells / 40) + 1))));
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [TestCaseSource(typeof(RequestCatalogue), nameof(RequestCatalogue.Cases))]
    public async Task Request_IsAnsweredWithWhatToFix_AndStoresNothing(CatalogueRequest request)
    {
        var before = await StoredAsync();

        using var response = await _server.Client.SendAsync(Message(request));
        var body = await response.Content.ReadAsStringAsync();
        var after = await StoredAsync();

        Assert.That((int)response.StatusCode, Is.EqualTo(request.Status), body);
        if (request.Detail is { } detail)
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), body);
            using var problem = JsonDocument.Parse(body);
            Assert.That(problem.RootElement.GetProperty("status").GetInt32(), Is.EqualTo(request.Status));
            Assert.That(problem.RootElement.GetProperty("detail").GetString(), Does.Contain(detail));
        }

        Assert.That(after, Is.EqualTo(before), "the request stored something");
    }

    private static HttpRequestMessage Message(CatalogueRequest request)
    {
        var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path);
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            if (request.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }
        }

        foreach (var (name, value) in request.Headers ?? new Dictionary<string, string>())
        {
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content!.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return message;
    }

    private async Task UploadAsync(string name, byte[] csv)
    {
        using var response = await _server.Client.PutAsync($"/api/datasets/{name}", new ByteArrayContent(csv) { Headers = { { "Content-Type", "text/csv" } } });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    // Every blob with its ETag, so that a changed blob counts as stored too, and the number of durable instances.
    private async Task<List<string>> StoredAsync()
    {
        var blobs = _server.Services.GetRequiredService<BlobServiceClient>();
        var stored = new List<string>();
        foreach (var name in s_containers)
        {
            var container = blobs.GetBlobContainerClient(name);
            if (!await container.ExistsAsync())
            {
                continue;
            }

            await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, prefix: null, CancellationToken.None))
            {
                stored.Add($"{name}/{blob.Name} {blob.Properties.ETag}");
            }
        }

        var instances = 0;
        await foreach (var _ in _server.Services.GetRequiredService<DurableTaskClient>().GetAllInstancesAsync(new OrchestrationQuery()))
        {
            instances++;
        }

        stored.Add($"durable instances: {instances}");
        return stored;
    }
}
