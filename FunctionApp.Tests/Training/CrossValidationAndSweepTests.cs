using System.Globalization;
using System.Text;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServerlessML.ML;
using ServerlessML.Storage;
using ServerlessML.Tests.Infrastructure;
using ServerlessML.Training;

namespace ServerlessML.Tests.Training;

/// <summary>Cross-validation and sweeps through the real orchestration: folds and candidates as parallel activities.</summary>
public sealed class CrossValidationAndSweepTests
{
    private readonly RecordingLogger<CrossValidateFold> _folds = new();
    private WorkflowHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() =>
        _host = await WorkflowHost.StartAsync(configure: services => services.AddSingleton<ILogger<CrossValidateFold>>(_folds));

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public async Task Train_WithFiveFolds_OutputAndManifestCarryMeanAndStdOfRSquaredAndRmse()
    {
        var model = ModelNames.Unique("folds");

        var run = await _host.TrainAsync(model, SyntheticData.Csv(1000, withCity: true, noise: 1), options: r => r with { Folds = 5 });
        var result = run.ReadOutputAs<TrainingResult>()!;
        var manifest = await _host.Get<ModelStore>().GetManifestAsync(model, 1, CancellationToken.None);

        Assert.That(run.RuntimeStatus, Is.EqualTo(OrchestrationRuntimeStatus.Completed), run.FailureDetails?.ErrorMessage);
        var cv = result.CrossValidation!;
        Assert.That(cv.Folds, Is.EqualTo(5));
        Assert.That(cv.RSquaredMean, Is.GreaterThan(0.99));
        Assert.That(cv.RSquaredStd, Is.GreaterThan(0).And.LessThan(0.01));
        Assert.That(cv.RmseMean, Is.EqualTo(result.Metrics.Rmse!.Value).Within(0.1), "noise of ±1 is an RMSE of about 0.58 wherever it is measured");
        Assert.That(cv.RmseStd, Is.GreaterThan(0));
        Assert.That(manifest!.CrossValidation, Is.EqualTo(cv));
        Assert.That(FoldsRun(run.InstanceId), Is.EqualTo(5));
    }

    [Test]
    public async Task Train_WithoutFolds_OutputHasNoCrossValidation()
    {
        var run = await _host.TrainAsync(ModelNames.Unique("nofolds"), SyntheticData.Csv(200));

        Assert.That(run.SerializedOutput, Does.Not.Contain("crossValidation").And.Not.Contain("sweep"));
    }

    [Test]
    public async Task Train_SweepOnNonlinearData_PicksATreeTrainerByCrossValidatedRmseAndPublishesTheLeaderboard()
    {
        var model = ModelNames.Unique("sweep");

        var run = await _host.TrainAsync(model, ParabolaCsv(800), options: r => r with { Folds = 3, Sweep = new SweepRequest(5, 600) });

        Assert.That(run.RuntimeStatus, Is.EqualTo(OrchestrationRuntimeStatus.Completed), run.FailureDetails?.ErrorMessage);
        var result = run.ReadOutputAs<TrainingResult>()!;
        var manifest = await _host.Get<ModelStore>().GetManifestAsync(model, 1, CancellationToken.None);
        var sweep = result.Sweep!;
        Assert.That((sweep.Planned, sweep.Tried, sweep.StoppedByBudget), Is.EqualTo((5, 5, false)));
        // SDCA's own heuristics diverge on some small samples of this data: those candidates score nothing and rank last.
        var rmse = sweep.Leaderboard.Select(e => e.CrossValidation.RmseMean ?? double.PositiveInfinity).ToArray();
        Assert.That(rmse, Is.Ordered);
        Assert.That(double.IsFinite(rmse[0]), Is.True);
        Assert.That(sweep.Leaderboard.Select(e => e.Trainer), Is.EquivalentTo(SweepCandidates.Take(5)));
        Assert.That(sweep.Leaderboard[0].Trainer.Kind, Is.Not.EqualTo(TrainerKind.Sdca), "no line fits a parabola");
        Assert.That(result.CrossValidation, Is.EqualTo(sweep.Leaderboard[0].CrossValidation));
        Assert.That(manifest!.Training.Trainer, Is.EqualTo(sweep.Leaderboard[0].Trainer.Kind.ToString()));
        Assert.That(manifest.Sweep, Is.EqualTo(sweep).Using<SweepOutcome>((a, b) => a.Leaderboard.SequenceEqual(b.Leaderboard) && a.Tried == b.Tried));
        Assert.That(result.Metrics.RSquared, Is.GreaterThan(0.95));
        Assert.That(FoldsRun(run.InstanceId), Is.EqualTo(15), "five candidates × three folds");
    }

    [Test]
    public async Task Train_SweepPastItsBudget_StopsAfterTheFirstBatchAndSaysSo()
    {
        var run = await _host.TrainAsync(ModelNames.Unique("budget"), SyntheticData.Csv(300), options: r => r with { Folds = 2, Sweep = new SweepRequest(10, 0) });
        var sweep = run.ReadOutputAs<TrainingResult>()!.Sweep!;

        Assert.That(run.RuntimeStatus, Is.EqualTo(OrchestrationRuntimeStatus.Completed), run.FailureDetails?.ErrorMessage);
        Assert.That((sweep.Planned, sweep.Tried, sweep.StoppedByBudget), Is.EqualTo((10, 4, true)));
        Assert.That(sweep.Leaderboard, Has.Count.EqualTo(4));
    }

    [Test]
    public void Rows_FiveFolds_PartitionTheRowsIntoNearlyEqualHeldOutParts()
    {
        var folds = Enumerable.Range(0, 5).Select(fold => CrossValidation.Rows(103, 5, fold, seed: 42)).ToArray();

        Assert.That(folds.SelectMany(f => f.HeldOut).Order(), Is.EqualTo(Enumerable.Range(0, 103)));
        Assert.That(folds.Select(f => f.HeldOut.Length), Is.EquivalentTo(new[] { 21, 21, 21, 20, 20 }));
        Assert.That(folds, Has.All.Matches<(int[] Train, int[] HeldOut)>(f => !f.Train.Intersect(f.HeldOut).Any() && f.Train.Length + f.HeldOut.Length == 103));
    }

    [Test]
    public void Summary_OfFolds_IsTheirMeanAndSampleStandardDeviation()
    {
        var summary = CrossValidationSummary.Of([new RegressionMetrics(0.9, 1, 0, 2), new RegressionMetrics(0.8, 3, 0, 2)]);

        Assert.That(summary, Is.EqualTo(new CrossValidationSummary(2, 0.85, Math.Sqrt(0.005), 2, Math.Sqrt(2))).Using<CrossValidationSummary>((a, b) =>
            a.Folds == b.Folds && Math.Abs(a.RSquaredMean!.Value - b.RSquaredMean!.Value) < 1e-12 && Math.Abs(a.RSquaredStd!.Value - b.RSquaredStd!.Value) < 1e-12
            && a.RmseMean == b.RmseMean && Math.Abs(a.RmseStd!.Value - b.RmseStd!.Value) < 1e-12));
    }

    [Test]
    public void Fold_SdcaThatDiverges_ScoresNothingInsteadOfFailing()
    {
        var data = ServerlessML.Tests.ML.TreeTrainerTests.Parabola(300);

        var metrics = CrossValidation.Fold(data, new TrainerOptions(L2: 1e-6f), folds: 3, fold: 0, seed: 42);

        Assert.That(metrics, Is.EqualTo(new RegressionMetrics(null, null, null, null)));
        Assert.That(CrossValidationSummary.Of([metrics, metrics]).RmseMean, Is.Null);
    }

    [Test]
    public void Progress_InTheCustomStatus_CountsCandidates()
    {
        Assert.That(TrainingStatus.Sweeping(7, 24), Is.EqualTo(new TrainingStatus("sweeping", "7 of 24 candidates")));
    }

    // Each fold activity logs once, naming the run's training split.
    private int FoldsRun(string instanceId) => _folds.Entries.Count(e => e.Message.Contains(instanceId, StringComparison.Ordinal));

    private static string ParabolaCsv(int rows)
    {
        var data = ServerlessML.Tests.ML.TreeTrainerTests.Parabola(rows);
        var x = ((ServerlessML.Data.NumericColumn)data.Table["x"]).Values;
        var csv = new StringBuilder("x,y\n");
        for (var i = 0; i < rows; i++)
        {
            csv.Append(x[i].ToString("R", CultureInfo.InvariantCulture)).Append(',').Append(data.LabelColumn.Values[i].ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        return csv.ToString();
    }
}
