using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ServerlessML.ML;
using ServerlessML.Storage;
using ServerlessML.Tests.Infrastructure;
using ServerlessML.Training;

namespace ServerlessML.Tests.Training;

/// <summary>
/// The prepared-data cache in the real orchestration: a second run on the same dataset reads it from memory, and a
/// run whose later steps land where nothing is cached (another worker) reads the splits' blobs, to the same model.
/// Every blob request the app makes is recorded, so "not downloaded" is what storage saw.
/// </summary>
public sealed class DataLocalityTests
{
    [Test]
    public async Task SecondRun_OnTheSameNamedDataset_DownloadsNeitherItNorItsSplits_AndGivesIdenticalMetrics()
    {
        var requests = new BlobRequests();
        var prepareLog = new RecordingLogger<PrepareDataset>();
        await using var host = await WorkflowHost.StartAsync(configure: services => services
            .AddSingleton(requests.Client())
            .AddSingleton<ILogger<PrepareDataset>>(prepareLog));
        var dataset = await UploadAsync(host);
        var path = DatasetStore.NamedPath(dataset.Name);
        var start = BlobRequests.Total;

        var first = await RunAsync(host, dataset, folds: 0);
        var second = await RunAsync(host, dataset, folds: 0);

        Assert.That(first.Run.RuntimeStatus, Is.EqualTo(OrchestrationRuntimeStatus.Completed), first.Run.FailureDetails?.ErrorMessage);
        Assert.That(second.Run.RuntimeStatus, Is.EqualTo(OrchestrationRuntimeStatus.Completed), second.Run.FailureDetails?.ErrorMessage);
        Assert.That(requests.Downloads(path, after: start), Is.GreaterThan(0), "the first run reads the dataset");
        Assert.That(requests.Downloads(path, after: first.Requests), Is.Zero, "the second run does not");
        Assert.That(requests.Downloads(TrainingRunStore.TrainSplit(first.Run.InstanceId)) + requests.Downloads(TrainingRunStore.TestSplit(first.Run.InstanceId)), Is.Zero);
        Assert.That(requests.Downloads(TrainingRunStore.TrainSplit(second.Run.InstanceId)) + requests.Downloads(TrainingRunStore.TestSplit(second.Run.InstanceId)), Is.Zero);
        Assert.That(requests.Writes(TrainingRunStore.TrainSplit(second.Run.InstanceId)), Is.GreaterThan(0), "the splits are still written for other workers");
        Assert.That(second.Result.Metrics, Is.EqualTo(first.Result.Metrics));
        Assert.That(second.Result.Rows, Is.EqualTo(first.Result.Rows));
        Assert.That(prepareLog.At(LogLevel.Information), Has.One.Contains($"took {path} (SHA-256 {dataset.Sha256}) from this instance's memory"));
        Assert.That(prepareLog.At(LogLevel.Information), Has.One.Contains($"read {path} (SHA-256 {dataset.Sha256}) from blob storage"));
    }

    [Test]
    public async Task StepsOnAnotherWorker_FindNothingCached_ReadTheSplitsFromTheirBlobs_AndGiveIdenticalMetrics()
    {
        var local = new BlobRequests();
        await using var oneWorker = await WorkflowHost.StartAsync(configure: services => services.AddSingleton(local.Client()));
        var elsewhere = new BlobRequests();
        var otherWorkersMemory = new PreparedDataCache(Options.Create(new TrainingOptions()), NullLogger<PreparedDataCache>.Instance);
        await using var twoWorkers = await WorkflowHost.StartAsync(configure: services =>
        {
            services.AddSingleton(elsewhere.Client());
            // Everything after PrepareDataset runs with a cache of its own, as on a worker that did not prepare the data.
            services.AddSingleton(sp => ActivatorUtilities.CreateInstance<TrainModel>(sp, otherWorkersMemory));
            services.AddSingleton(sp => ActivatorUtilities.CreateInstance<EvaluateModel>(sp, otherWorkersMemory));
            services.AddSingleton(sp => ActivatorUtilities.CreateInstance<EvaluateChampion>(sp, otherWorkersMemory));
            services.AddSingleton(sp => ActivatorUtilities.CreateInstance<CrossValidateFold>(sp, otherWorkersMemory));
        });
        var dataset = await UploadAsync(oneWorker);

        var together = await RunAsync(oneWorker, dataset, folds: 3);
        var apart = await RunAsync(twoWorkers, dataset, folds: 3);

        Assert.That(apart.Run.RuntimeStatus, Is.EqualTo(OrchestrationRuntimeStatus.Completed), apart.Run.FailureDetails?.ErrorMessage);
        Assert.That(local.Downloads(TrainingRunStore.TrainSplit(together.Run.InstanceId)), Is.Zero, "one worker takes the splits from memory");
        Assert.That(elsewhere.Downloads(TrainingRunStore.TrainSplit(apart.Run.InstanceId)), Is.GreaterThanOrEqualTo(4), "training and each of the three folds read the training split");
        Assert.That(elsewhere.Downloads(TrainingRunStore.TestSplit(apart.Run.InstanceId)), Is.GreaterThan(0));
        Assert.That(otherWorkersMemory.Bytes, Is.Zero);
        Assert.That(apart.Result.Metrics, Is.EqualTo(together.Result.Metrics));
        Assert.That(apart.Result.CrossValidation, Is.EqualTo(together.Result.CrossValidation));
        Assert.That(apart.Result.Rows, Is.EqualTo(together.Result.Rows));
    }

    private static async Task<DatasetSummary> UploadAsync(WorkflowHost host)
    {
        var name = ModelNames.Unique("locality");
        var csv = SyntheticData.Bytes(SyntheticData.Csv(3000, withCity: true, noise: 1, missingRate: 0.02));
        return await host.Get<DatasetStore>().UploadAsync(name, new MemoryStream(csv), CancellationToken.None);
    }

    // A model of its own each run, so that no run has a production version to compare with and each does the same work.
    private static async Task<(OrchestrationMetadata Run, TrainingResult Result, int Requests)> RunAsync(WorkflowHost host, DatasetSummary dataset, int folds)
    {
        var runId = Guid.NewGuid().ToString("N");
        var request = new TrainingRequest(
            ModelNames.Unique("locality"), DatasetStore.NamedPath(dataset.Name).ToString(), "y", null, 0.2, 42, new TrainerOptions(), Rows: (int)dataset.Rows, Folds: folds);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(TrainingOrchestration), request, new StartOrchestrationOptions(runId));
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var run = await host.Client.WaitForInstanceCompletionAsync(runId, getInputsAndOutputs: true, patience.Token);
        return (run, run.ReadOutputAs<TrainingResult>()!, BlobRequests.Total);
    }

    /// <summary>Every request a blob client made, in order: the method and the blob's path.</summary>
    private sealed class BlobRequests : HttpPipelineSynchronousPolicy
    {
        private static int s_count;
        private readonly ConcurrentQueue<(int Order, string Method, string Path)> _seen = new();

        /// <summary>Requests made so far by every client of this kind, in this test process.</summary>
        public static int Total => Volatile.Read(ref s_count);

        public BlobServiceClient Client()
        {
            var options = new BlobClientOptions();
            options.AddPolicy(this, HttpPipelinePosition.PerCall);
            return new BlobServiceClient(TestEnvironment.Azurite.ConnectionString, options);
        }

        /// <summary>GETs of the blob (a download, whole or in ranges), after the <paramref name="after"/>th request.</summary>
        public int Downloads(BlobPath path, int after = 0) => Count(RequestMethod.Get, path, after);

        public int Writes(BlobPath path) => Count(RequestMethod.Put, path, 0);

        public override void OnSendingRequest(HttpMessage message) =>
            _seen.Enqueue((Interlocked.Increment(ref s_count), message.Request.Method.Method, Uri.UnescapeDataString(message.Request.Uri.Path)));

        private int Count(RequestMethod method, BlobPath path, int after) =>
            _seen.Count(r => r.Order > after && r.Method == method.Method && r.Path.EndsWith($"/{path.Container}/{path.Name}", StringComparison.Ordinal));
    }
}
