using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using ServerlessML.Storage;
using ServerlessML.Tests.Infrastructure;
using ServerlessML.Training;

namespace ServerlessML.Tests.Training;

/// <summary>The cleanup activity on its own, for what a whole run cannot easily be made to do.</summary>
public sealed class CleanupTrainingRunTests
{
    [Test]
    public async Task Cleanup_RunFailedAfterItsVersionWasWritten_KeepsTheStagedDataTheVersionNames()
    {
        // A publish that wrote model.zip and the manifest, then failed moving an alias: the run failed, the version stands.
        await using var services = AppServices.Build();
        var model = ModelNames.Unique("half");
        var runId = Guid.NewGuid().ToString("N");
        var staged = await SyntheticData.StageAsync(services.GetRequiredService<DatasetStore>(), model, runId, SyntheticData.Csv(20));
        await Manifests.PublishAsync(services.GetRequiredService<ModelStore>(), model, runId);

        await ActivatorUtilities.CreateInstance<CleanupTrainingRun>(services).RunAsync(new CleanupTrainingRunInput(runId, model, Published: false), CancellationToken.None);

        Assert.That(await ExistsAsync(services, staged), Is.True);
    }

    [Test]
    public async Task Cleanup_RunFailedWithOnlyAnIncompleteVersion_DeletesTheStagedData()
    {
        await using var services = AppServices.Build();
        var model = ModelNames.Unique("crashed");
        var runId = Guid.NewGuid().ToString("N");
        var staged = await SyntheticData.StageAsync(services.GetRequiredService<DatasetStore>(), model, runId, SyntheticData.Csv(20));
        await Manifests.WriteIncompleteAsync(services.GetRequiredService<BlobServiceClient>(), model, 1, runId);

        await ActivatorUtilities.CreateInstance<CleanupTrainingRun>(services).RunAsync(new CleanupTrainingRunInput(runId, model, Published: false), CancellationToken.None);

        Assert.That(await ExistsAsync(services, staged), Is.False);
    }

    private static async Task<bool> ExistsAsync(IServiceProvider services, BlobPath path) =>
        (await services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(path.Container).GetBlobClient(path.Name).ExistsAsync()).Value;
}
