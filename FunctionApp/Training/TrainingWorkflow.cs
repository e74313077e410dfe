using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace ServerlessML.Training;

/// <summary>
/// Registers the training orchestration and its activities with a plain Durable Task worker (the local host, the
/// tests) under the names the Functions host knows them by, calling the very same methods.
/// </summary>
public static class TrainingWorkflow
{
    public static DurableTaskRegistry AddTrainingWorkflow(this DurableTaskRegistry registry)
    {
        registry.AddOrchestrator(nameof(TrainingOrchestration), () => new FunctionOrchestrator());
        Add<PrepareDataset, PrepareDatasetInput, PreparedDataset>(registry, nameof(PrepareDataset), (a, i, ct) => a.RunAsync(i, ct));
        Add<TrainModel, TrainModelInput, string>(registry, nameof(TrainModel), (a, i, ct) => a.RunAsync(i, ct));
        Add<CrossValidateFold, CrossValidateFoldInput, ML.RegressionMetrics>(registry, nameof(CrossValidateFold), (a, i, ct) => a.RunAsync(i, ct));
        Add<EvaluateModel, EvaluateModelInput, ML.RegressionMetrics>(registry, nameof(EvaluateModel), (a, i, ct) => a.RunAsync(i, ct));
        Add<EvaluateChampion, EvaluateChampionInput, ChampionEvaluation>(registry, nameof(EvaluateChampion), (a, i, ct) => a.RunAsync(i, ct));
        Add<PublishModel, PublishModelInput, PublishedModel>(registry, nameof(PublishModel), (a, i, ct) => a.RunAsync(i, ct));
        Add<CleanupTrainingRun, CleanupTrainingRunInput, bool>(registry, nameof(CleanupTrainingRun), (a, i, ct) => a.RunAsync(i, ct));
        return registry;
    }

    private static void Add<TActivity, TInput, TOutput>(DurableTaskRegistry registry, string name, Func<TActivity, TInput, CancellationToken, Task<TOutput>> run)
        where TActivity : class =>
        registry.AddActivity(name, services => new FunctionActivity<TActivity, TInput, TOutput>(ActivatorUtilities.GetServiceOrCreateInstance<TActivity>(services), run));

    // The orchestrator reads its input itself, as under the Functions host.
    private sealed class FunctionOrchestrator : TaskOrchestrator<TrainingRequest, TrainingResult>
    {
        public override Task<TrainingResult> RunAsync(TaskOrchestrationContext context, TrainingRequest input) => TrainingOrchestration.RunAsync(context);
    }

    private sealed class FunctionActivity<TActivity, TInput, TOutput>(TActivity activity, Func<TActivity, TInput, CancellationToken, Task<TOutput>> run)
        : TaskActivity<TInput, TOutput>
    {
        public override Task<TOutput> RunAsync(TaskActivityContext context, TInput input) =>
            ActivityStorageFaults.RunAsync(() => run(activity, input, CancellationToken.None));
    }
}
