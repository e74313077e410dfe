using System.Net;
using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ServerlessML.Housekeeping;
using ServerlessML.Storage;
using ServerlessML.Tests.Infrastructure;

namespace ServerlessML.Tests.Housekeeping;

/// <summary>
/// The housekeeping sweep on the local host's task hub in Azurite: what ended runs left behind goes, the data of
/// published versions, of runs still going and of uploaded datasets stays, and finished history is purged. The sweep
/// looks at the whole storage account, so each test has an Azurite of its own.
/// </summary>
public sealed class RunSweeperTests
{
    private Azurite _azurite = null!;

    [SetUp]
    public async Task StartAsync() => _azurite = await Azurite.StartAsync();

    [TearDown]
    public async Task StopAsync() => await _azurite.DisposeAsync();

    [Test]
    public async Task Sweep_RemovesWhatEndedRunsLeft_KeepsLineageAndLiveRuns_AndPurgesFinishedHistory()
    {
        await using var server = await LocalHostServer.StartAsync(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = _azurite.ConnectionString,
            ["Storage:ConnectionString"] = _azurite.ConnectionString,
            ["Housekeeping:WorkingFilesMaxAgeHours"] = "0",
            ["Housekeeping:HistoryRetentionDays"] = "0",
        });
        var client = server.Client;
        var published = ModelNames.Unique("kept");
        var completed = await TrainAsync(client, published);
        var terminated = await StartSuspendedAsync(client);
        using (await client.PostAsync(terminated.Status + "/terminate", null))
        {
        }

        await StatusPoll.UntilAsync(client, terminated.Status, "Terminated");
        var running = await StartSuspendedAsync(client);
        var orphan = Guid.NewGuid().ToString("N");
        await PutAsync(BlobContainers.Datasets, $"{ModelNames.Unique("lost")}/{orphan}.csv");
        await PutAsync(BlobContainers.Training, $"{orphan}/train.parquet");
        await PutAsync(BlobContainers.Training, $"{terminated.RunId}/train.parquet");
        await PutAsync(BlobContainers.Training, $"{running.RunId}/train.parquet");
        var dataset = ModelNames.Unique("named");
        using (await client.PutAsync($"/api/datasets/{dataset}", new StringContent(SyntheticData.Csv(50), Encoding.UTF8, "text/csv")))
        {
        }

        var result = await server.Services.GetRequiredService<RunSweeper>().SweepAsync(server.Services.GetRequiredService<DurableTaskClient>(), CancellationToken.None);

        var staged = await NamesAsync(BlobContainers.Datasets);
        var working = await NamesAsync(BlobContainers.Training);
        Assert.That(staged, Does.Contain($"{published}/{completed.RunId}.parquet"), "the data a published version was trained on");
        Assert.That(staged, Does.Contain($"{running.Model}/{running.RunId}.parquet"), "a run still going");
        Assert.That(staged, Does.Contain($"{dataset}.csv"), "an uploaded dataset");
        Assert.That(staged, Has.None.Contains(terminated.RunId).And.None.Contains(orphan));
        Assert.That(working, Does.Contain($"{running.RunId}/train.parquet"));
        Assert.That(working, Has.None.Contains(terminated.RunId).And.None.Contains(orphan));
        Assert.That(result.StagedDatasetsDeleted, Is.EqualTo(2));
        Assert.That(result.WorkingFileSetsDeleted, Is.EqualTo(2));
        Assert.That(result.InstancesPurged, Is.EqualTo(2));
        Assert.That((await StatusPoll.GetAsync(client, completed.Status)).Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await StatusPoll.GetAsync(client, terminated.Status)).Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await StatusPoll.GetAsync(client, running.Status)).RuntimeStatus, Is.EqualTo("Suspended"));
    }

    [Test]
    public async Task Sweep_FilesYoungerThanTheMaxAge_AreKept()
    {
        await using var server = await LocalHostServer.StartAsync(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = _azurite.ConnectionString,
            ["Storage:ConnectionString"] = _azurite.ConnectionString,
        });
        var orphan = Guid.NewGuid().ToString("N");
        await PutAsync(BlobContainers.Datasets, $"{ModelNames.Unique("young")}/{orphan}.csv");
        await PutAsync(BlobContainers.Training, $"{orphan}/train.parquet");
        var sweeper = ActivatorUtilities.CreateInstance<RunSweeper>(server.Services, Options.Create(new HousekeepingOptions()), NullLogger<RunSweeper>.Instance);

        var result = await sweeper.SweepAsync(server.Services.GetRequiredService<DurableTaskClient>(), CancellationToken.None);

        Assert.That(await NamesAsync(BlobContainers.Training), Does.Contain($"{orphan}/train.parquet"));
        Assert.That(await NamesAsync(BlobContainers.Datasets), Has.Some.Contains(orphan));
        Assert.That(result.StagedDatasetsDeleted + result.WorkingFileSetsDeleted, Is.EqualTo(0));
    }

    private static async Task<(Uri Status, string RunId)> TrainAsync(HttpClient client, string model)
    {
        using var train = await client.PostAsync($"/api/train?model={model}", new StringContent(SyntheticData.Csv(200), Encoding.UTF8, "text/csv"));
        var polls = await StatusPoll.UntilAsync(client, train.Headers.Location!, "Completed", "Failed");
        Assert.That(polls[^1].RuntimeStatus, Is.EqualTo("Completed"));
        return (train.Headers.Location!, train.Headers.Location!.Segments[^1]);
    }

    private static async Task<(Uri Status, string RunId, string Model)> StartSuspendedAsync(HttpClient client)
    {
        var model = ModelNames.Unique("held");
        using var train = await client.PostAsync($"/api/train?model={model}", new StringContent(SyntheticData.Csv(20_000), Encoding.UTF8, "text/csv"));
        using var suspend = await client.PostAsync(train.Headers.Location + "/suspend", null);
        var polls = await StatusPoll.UntilAsync(client, train.Headers.Location!, "Suspended", "Completed", "Failed");
        Assert.That(polls[^1].RuntimeStatus, Is.EqualTo("Suspended"), "The run finished before it could be suspended.");
        return (train.Headers.Location!, train.Headers.Location!.Segments[^1], model);
    }

    private BlobContainerClient Container(string name) => new BlobServiceClient(_azurite.ConnectionString).GetBlobContainerClient(name);

    private async Task PutAsync(string container, string name)
    {
        await Container(container).CreateIfNotExistsAsync();
        await Container(container).GetBlobClient(name).UploadAsync(BinaryData.FromString("left behind"), overwrite: true);
    }

    private async Task<List<string>> NamesAsync(string container)
    {
        var names = new List<string>();
        await foreach (var blob in Container(container).GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: null, CancellationToken.None))
        {
            names.Add(blob.Name);
        }

        return names;
    }
}
