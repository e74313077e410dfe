using Azure.Storage.Blobs;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using ServerlessML.ML;
using ServerlessML.Serving;
using ServerlessML.Storage;
using ServerlessML.Tests.Infrastructure;
using ServerlessML.Training;

namespace ServerlessML.Tests.Training;

/// <summary>The real orchestration and activities with storage out of reach: their blob client points where nothing listens.</summary>
public sealed class TrainingDuringStorageOutageTests
{
    [Test]
    public async Task Train_StorageRefusesConnections_FailsSayingSoAndToRunItAgain()
    {
        // A client that gives up quickly (the SDK's defaults would spend some 23 s on each of the run's attempts); the
        // run's own retries, four attempts over 14 s, are the ones under test.
        var nowhere = TestEnvironment.Azurite.ConnectionStringVia(Azurite.FreePort());
        await using var host = await WorkflowHost.StartAsync(configure: services => services.AddSingleton(new BlobServiceClient(nowhere, ModelCache.ClientOptions())));
        var model = ModelNames.Unique("unreachable");
        var runId = Guid.NewGuid().ToString("N");
        var request = new TrainingRequest(model, DatasetStore.StagedPath(model, runId).ToString(), "y", null, 0.2, 42, new TrainerOptions(), Staged: true);

        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(TrainingOrchestration), request, new StartOrchestrationOptions(runId));
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var run = await host.Client.WaitForInstanceCompletionAsync(runId, getInputsAndOutputs: true, patience.Token);

        Assert.That(run.RuntimeStatus, Is.EqualTo(OrchestrationRuntimeStatus.Failed));
        Assert.That(run.FailureDetails!.ErrorMessage, Is.EqualTo("Preparing the dataset failed: storage was unreachable after 4 attempts (connection refused); run it again."));
        Assert.That(run.FailureDetails.InnerFailure, Is.Null, "the SDK's exception is not carried along under it");
        Assert.That(run.ReadCustomStatusAs<TrainingStatus>(), Is.EqualTo(TrainingStatus.Failed));
    }
}
