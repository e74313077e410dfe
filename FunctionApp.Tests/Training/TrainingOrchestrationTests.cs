using System.Text.Json;
using Azure.Storage.Blobs;
using Microsoft.DurableTask.Client;
using ServerlessML.Data;
using ServerlessML.ML;
using ServerlessML.Serving;
using ServerlessML.Storage;
using ServerlessML.Tests.Infrastructure;
using ServerlessML.Training;

namespace ServerlessML.Tests.Training;

/// <summary>The whole workflow: real orchestrator and activities on the in-process backend, real blobs on Azurite.</summary>
public sealed class TrainingOrchestrationTests
{
    private WorkflowHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _host = await WorkflowHost.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public async Task Train_ThenPredict_PredictsCloseToTheTruth()
    {
        var model = ModelNames.Unique("spine");

        var run = await _host.TrainAsync(model, SyntheticData.Csv(2000, withCity: true));
        var result = run.ReadOutputAs<TrainingResult>()!;
        var prediction = await _host.Get<PredictionService>().PredictAsync(Instances(model, """[{"x1": 1.5, "x2": -0.5, "city": "Oslo"}]"""), CancellationToken.None);

        Assert.That(run.RuntimeStatus, Is.EqualTo(OrchestrationRuntimeStatus.Completed), run.FailureDetails?.ErrorMessage);
        Assert.That(result.Version, Is.EqualTo(1));
        Assert.That(result.Metrics.RSquared, Is.GreaterThan(0.99));
        Assert.That(result.Score, Is.EqualTo(result.Metrics.RSquared));
        Assert.That(result.Metrics.Rmse, Is.LessThan(result.Metrics.BaselineRmse!.Value));
        Assert.That(result.Rows, Is.EqualTo(new RowCounts(1600, 400)));
        Assert.That(result.Published.Aliases, Is.EquivalentTo(new[] { ModelStore.Latest, ModelStore.Production }));
        Assert.That(prediction.Version, Is.EqualTo(1));
        Assert.That(prediction.Predictions[0], Is.EqualTo(SyntheticData.Truth(1.5, -0.5, "Oslo")).Within(0.1));
    }

    [Test]
    public async Task Train_FromParquet_LearnsWhatTheSameDataAsCsvTeaches()
    {
        var fromCsv = ModelNames.Unique("spine-csv");
        var fromParquet = ModelNames.Unique("spine-parquet");
        var kinds = new Dictionary<string, ColumnKind> { ["x1"] = ColumnKind.Numeric, ["x2"] = ColumnKind.Numeric, ["city"] = ColumnKind.Categorical, ["y"] = ColumnKind.Numeric };
        var parquet = await SyntheticData.ParquetAsync(2000, withCity: true, missingRate: 0.02);

        var csvRun = await _host.TrainAsync(fromCsv, SyntheticData.Csv(2000, withCity: true, missingRate: 0.02));
        var parquetRun = await _host.TrainAsync(fromParquet, parquet, DatasetFormat.Parquet, "y", kinds);
        var expected = csvRun.ReadOutputAs<TrainingResult>()!;
        var result = parquetRun.ReadOutputAs<TrainingResult>()!;
        var manifest = await _host.Get<ModelStore>().GetManifestAsync(fromParquet, 1, CancellationToken.None);
        var prediction = await _host.Get<PredictionService>().PredictAsync(Instances(fromParquet, """[{"x1": 1.5, "x2": -0.5, "city": "Oslo"}]"""), CancellationToken.None);

        Assert.That(parquetRun.RuntimeStatus, Is.EqualTo(OrchestrationRuntimeStatus.Completed), parquetRun.FailureDetails?.ErrorMessage);
        Assert.That(result.Rows, Is.EqualTo(expected.Rows));
        Assert.That(result.Metrics.RSquared, Is.EqualTo(expected.Metrics.RSquared).Within(1e-6));
        Assert.That(result.Metrics.Rmse, Is.EqualTo(expected.Metrics.Rmse).Within(1e-4));
        Assert.That(manifest!.Dataset, Is.EqualTo(new DatasetReference(DatasetStore.StagedPath(fromParquet, parquetRun.InstanceId, DatasetFormat.Parquet).ToString(), DatasetStore.Sha256(parquet))));
        Assert.That(manifest.Schema.Features.Select(f => f.Name), Is.EqualTo(new[] { "x1", "x2", "city" }));
        Assert.That(manifest.Schema.Features[0].Missing, Is.GreaterThan(0));
        Assert.That(prediction.Predictions[0], Is.EqualTo(SyntheticData.Truth(1.5, -0.5, "Oslo")).Within(0.1));
    }

    [Test]
    public async Task Train_StatusOutput_UsesTheDocumentedCamelCaseShape()
    {
        var run = await _host.TrainAsync(ModelNames.Unique("shape"), SyntheticData.Csv(200));

        using var output = JsonDocument.Parse(run.SerializedOutput!);
        var root = output.RootElement;

        Assert.That(root.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "model", "version", "metrics", "score", "rows", "published", "promotion", "warnings" }));
        Assert.That(root.GetProperty("warnings").GetArrayLength(), Is.Zero);
        Assert.That(root.GetProperty("promotion").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "policy", "promote", "reason", "challengerRmse", "champion" }));
        Assert.That(root.GetProperty("promotion").GetProperty("policy").GetString(), Is.EqualTo("auto"));
        Assert.That(root.GetProperty("metrics").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "rSquared", "rmse", "mae", "baselineRmse" }));
        Assert.That(run.ReadCustomStatusAs<TrainingStatus>(), Is.EqualTo(TrainingStatus.Completed));
    }

    [Test]
    public async Task Train_PublishesManifestWithLineage()
    {
        var model = ModelNames.Unique("manifest");
        var csv = SyntheticData.Csv(500, withCity: true, missingRate: 0.05);

        var run = await _host.TrainAsync(model, csv);
        var manifest = await _host.Get<ModelStore>().GetManifestAsync(model, 1, CancellationToken.None);

        Assert.That(manifest, Is.Not.Null);
        Assert.That(manifest!.RunId, Is.EqualTo(run.InstanceId));
        Assert.That(manifest.Dataset.Sha256, Is.EqualTo(DatasetStore.Sha256(SyntheticData.Bytes(csv))));
        Assert.That(manifest.Schema.Label, Is.EqualTo("y"));
        Assert.That(manifest.Schema.Features.Select(f => f.Name), Is.EqualTo(new[] { "x1", "x2", "city" }));
        Assert.That(manifest.Schema.Features[0].Missing, Is.GreaterThan(0));
        Assert.That(manifest.Schema.Features[2].Levels, Is.EquivalentTo(SyntheticData.Cities));
        Assert.That(manifest.Training, Is.EqualTo(new TrainingSettings("Sdca", new ServerlessML.ML.TrainerOptions(), 0.2, 42)));
        Assert.That(manifest.MLNetVersion, Does.StartWith("5."));
        Assert.That(manifest.Importance!.Select(i => i.Feature), Is.EquivalentTo(new[] { "x1", "x2", "city=Oslo", "city=Bergen", "city=Tromsø" }));
        Assert.That(manifest.Importance![0].Feature, Is.EqualTo("x1"));
    }

    [Test]
    public async Task Train_ConstantLabel_IsPublishedButNotPromotedAndSaysWhy()
    {
        var model = ModelNames.Unique("constant");
        var csv = string.Concat(SyntheticData.Csv(200).Split('\n').Select((line, i) => i == 0 || line.Length == 0 ? line + "\n" : line[..(line.LastIndexOf(',') + 1)] + "5\n"));

        var run = await _host.TrainAsync(model, csv.TrimEnd('\n'));
        var result = run.ReadOutputAs<TrainingResult>()!;
        var manifest = await _host.Get<ModelStore>().GetManifestAsync(model, 1, CancellationToken.None);

        Assert.That(run.RuntimeStatus, Is.EqualTo(OrchestrationRuntimeStatus.Completed), run.FailureDetails?.ErrorMessage);
        Assert.That(result.Version, Is.EqualTo(1));
        Assert.That(result.Promotion.Promote, Is.False);
        Assert.That(result.Promotion.Reason, Does.StartWith("it does not beat predicting the mean").And.EndWith("there is no production version yet"));
        Assert.That(result.Published.Aliases, Is.EqualTo(new[] { ModelStore.Latest }));
        Assert.That(result.Warnings, Does.Contain("The label 'y' is 5 in every training row: there is nothing to learn."));
        Assert.That(result.Warnings, Has.Some.StartsWith("The model does no better than always predicting the training mean"));
        Assert.That(manifest!.Warnings, Is.EqualTo(result.Warnings));
        Assert.That(manifest.Schema.LabelRange, Is.EqualTo(new ValueRange(5, 5)));
        Assert.That(await _host.Get<ModelStore>().GetAliasAsync(model, ModelStore.Production, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Train_RemovesItsWorkingFiles()
    {
        var run = await _host.TrainAsync(ModelNames.Unique("cleanup"), SyntheticData.Csv(100));

        var training = _host.Get<BlobServiceClient>().GetBlobContainerClient(BlobContainers.Training);
        var leftovers = new List<string>();
        await foreach (var blob in training.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, $"{run.InstanceId}/", CancellationToken.None))
        {
            leftovers.Add(blob.Name);
        }

        Assert.That(leftovers, Is.Empty);
    }

    [Test]
    public async Task Train_Completed_KeepsItsStagedDataAsTheVersionsLineage()
    {
        var model = ModelNames.Unique("lineage");

        var run = await _host.TrainAsync(model, SyntheticData.Csv(100));
        var manifest = await _host.Get<ModelStore>().GetManifestAsync(model, 1, CancellationToken.None);

        Assert.That(run.RuntimeStatus, Is.EqualTo(OrchestrationRuntimeStatus.Completed), run.FailureDetails?.ErrorMessage);
        Assert.That(manifest!.Dataset.Blob, Is.EqualTo(DatasetStore.StagedPath(model, run.InstanceId).ToString()));
        Assert.That(await ExistsAsync(DatasetStore.StagedPath(model, run.InstanceId)), Is.True);
    }

    [Test]
    public async Task Train_Failed_DeletesItsStagedData()
    {
        var model = ModelNames.Unique("unstaged");

        var run = await _host.TrainUnparsedAsync(model, SyntheticData.Bytes("x1,y\n1,2\n2,3\n3,abc\n4,5\n5,6\n6,7\n"), DatasetFormat.Csv, "y");

        Assert.That(run.RuntimeStatus, Is.EqualTo(OrchestrationRuntimeStatus.Failed));
        Assert.That(await ExistsAsync(DatasetStore.StagedPath(model, run.InstanceId, DatasetFormat.Csv)), Is.False);
    }

    [Test]
    public async Task Train_FailedOnANamedDataset_LeavesTheDatasetAlone()
    {
        var model = ModelNames.Unique("named");
        var name = ModelNames.Unique("named-data");
        await _host.Get<DatasetStore>().UploadAsync(name, new MemoryStream(SyntheticData.Bytes(SyntheticData.Csv(100))), CancellationToken.None);
        var runId = Guid.NewGuid().ToString("N");

        // A label the dataset does not have: the run fails in its first step.
        await _host.Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(TrainingOrchestration),
            new TrainingRequest(model, DatasetStore.NamedPath(name).ToString(), "price", null, 0.2, 42, new ServerlessML.ML.TrainerOptions()),
            new Microsoft.DurableTask.StartOrchestrationOptions(runId));
        var run = await _host.Client.WaitForInstanceCompletionAsync(runId, getInputsAndOutputs: true);

        Assert.That(run.RuntimeStatus, Is.EqualTo(OrchestrationRuntimeStatus.Failed));
        Assert.That(run.FailureDetails!.ErrorMessage, Does.Contain("'price' is not in the dataset"));
        Assert.That(await ExistsAsync(DatasetStore.NamedPath(name)), Is.True);
        Assert.That(await _host.Get<DatasetStore>().GetAsync(name, CancellationToken.None), Is.Not.Null);
    }

    [Test]
    public async Task Train_BadDataset_FailsWithItsReasonAndPublishesNothing()
    {
        var model = ModelNames.Unique("bad");
        var good = await _host.TrainAsync(model, SyntheticData.Csv(200));

        // The edge checks data before it is staged; data the run parses itself (a named dataset, or data a run started
        // before data was staged typed) can still fail inside the run.
        var bad = await _host.TrainUnparsedAsync(model, SyntheticData.Bytes("x1,y\n1,2\n2,3\n3,abc\n4,5\n5,6\n6,7\n"), DatasetFormat.Csv, "y");
        var prediction = await _host.Get<PredictionService>().PredictAsync(Instances(model, """[{"x1": 1, "x2": 1}]"""), CancellationToken.None);

        Assert.That(good.RuntimeStatus, Is.EqualTo(OrchestrationRuntimeStatus.Completed));
        Assert.That(bad.RuntimeStatus, Is.EqualTo(OrchestrationRuntimeStatus.Failed));
        Assert.That(bad.FailureDetails!.ErrorMessage, Does.Contain("Preparing the dataset failed").And.Contain("Line 4").And.Contain("'abc'"));
        Assert.That(bad.ReadCustomStatusAs<TrainingStatus>(), Is.EqualTo(TrainingStatus.Failed));
        Assert.That(await _host.Get<ModelStore>().GetAliasAsync(model, ModelStore.Latest, CancellationToken.None), Is.EqualTo(1));
        Assert.That(await _host.Get<ModelStore>().GetManifestAsync(model, 2, CancellationToken.None), Is.Null);
        Assert.That(prediction.Version, Is.EqualTo(1));
    }

    [TestCase(true, TestName = "Train_DatasetDeletedBeforeItIsRead_FailsAtOnceWithAReadableReason(staged)")]
    [TestCase(false, TestName = "Train_DatasetDeletedBeforeItIsRead_FailsAtOnceWithAReadableReason(csv to parse)")]
    public async Task Train_DatasetDeletedBeforeItIsRead_FailsAtOnceWithAReadableReason(bool typed)
    {
        var model = ModelNames.Unique("deleted");
        var runId = Guid.NewGuid().ToString("N");
        var staged = typed
            ? await SyntheticData.StageAsync(_host.Get<DatasetStore>(), model, runId, SyntheticData.Csv(100))
            : DatasetStore.StagedPath(model, runId, DatasetFormat.Csv);
        await _host.Get<DatasetStore>().DeleteAsync(staged, CancellationToken.None);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await _host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(TrainingOrchestration), new TrainingRequest(model, staged.ToString(), "y", null, 0.2, 42, new ServerlessML.ML.TrainerOptions(), Staged: typed), new Microsoft.DurableTask.StartOrchestrationOptions(runId));
        var run = await _host.Client.WaitForInstanceCompletionAsync(runId, getInputsAndOutputs: true);

        Assert.That(run.RuntimeStatus, Is.EqualTo(OrchestrationRuntimeStatus.Failed));
        Assert.That(run.FailureDetails!.ErrorMessage, Is.EqualTo($"Preparing the dataset failed: The dataset {staged} does not exist any more: it was deleted after the run started. Upload it again and start a new run."));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "not retried as if storage were down");
    }

    [Test]
    public async Task Train_TwiceOnSameModel_PublishesNextVersionAndMovesAliases()
    {
        var model = ModelNames.Unique("versions");

        await _host.TrainAsync(model, SyntheticData.Csv(200, seed: 1));
        var second = (await _host.TrainAsync(model, SyntheticData.Csv(200, seed: 2))).ReadOutputAs<TrainingResult>()!;

        Assert.That(second.Version, Is.EqualTo(2));
        Assert.That(await _host.Get<ModelStore>().GetAliasAsync(model, ModelStore.Production, CancellationToken.None), Is.EqualTo(2));
    }

    private static PredictionRequest Instances(string model, string json) => PredictRequests.Instances(model, json);

    private async Task<bool> ExistsAsync(BlobPath path) =>
        (await _host.Get<BlobServiceClient>().GetBlobContainerClient(path.Container).GetBlobClient(path.Name).ExistsAsync()).Value;
}
