using Azure;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using ServerlessML.ML;
using ServerlessML.Storage;

namespace ServerlessML.Training;

/// <summary>The training workflow: prepare → (cross-validate or sweep) → train → evaluate → publish, with the phase in the
/// custom status.</summary>
public static class TrainingOrchestration
{
    private const int Attempts = 4;

    /// <summary>Candidates cross-validated at once in a sweep: with five folds, twenty activities in flight.</summary>
    private const int SweepBatch = 4;

    // Storage faults are worth retrying (StorageUnavailableException: out of reach, see ActivityStorageFaults; a
    // RequestFailedException: storage refused, as when a lease is held); a dataset that cannot be trained on fails the
    // same way every time.
    private static readonly TaskOptions s_transientRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: Attempts,
        firstRetryInterval: TimeSpan.FromSeconds(2),
        backoffCoefficient: 2)
    {
        HandleFailure = failure => failure.IsCausedBy<StorageUnavailableException>() || failure.IsCausedBy<RequestFailedException>()
            || failure.IsCausedBy<IOException>() || failure.IsCausedBy<TimeoutException>(),
    });

    [Function(nameof(TrainingOrchestration))]
    public static async Task<TrainingResult> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var request = context.GetInput<TrainingRequest>() ?? throw new TrainingFailedException("The orchestration was started without a training request.");
        var logger = context.CreateReplaySafeLogger(nameof(TrainingOrchestration));
        var runId = context.InstanceId;
        PublishedModel? published = null;
        try
        {
            context.SetCustomStatus(TrainingStatus.Preparing);
            var prepared = await CallAsync<PreparedDataset>(context, nameof(PrepareDataset), new PrepareDatasetInput(runId, request), "Preparing the dataset");

            // A sweep picks the trainer by cross-validated RMSE; folds alone score the trainer asked for.
            var (crossValidation, sweep) = request switch
            {
                { Sweep: { } sweepRequest } => await SweepAsync(context, request, prepared, sweepRequest),
                { Folds: >= CrossValidation.MinFolds } => (await CrossValidateAsync(context, request, prepared, request.Trainer), null),
                _ => (null, null),
            };
            request = request with { Trainer = sweep?.Leaderboard[0].Trainer ?? request.Trainer };

            context.SetCustomStatus(TrainingStatus.Training);
            var candidate = await CallAsync<string>(context, nameof(TrainModel), new TrainModelInput(runId, prepared.TrainBlob, request.Trainer, request.Seed, prepared.Split), "Training");

            context.SetCustomStatus(TrainingStatus.Evaluating);
            var metrics = await CallAsync<RegressionMetrics>(context, nameof(EvaluateModel), new EvaluateModelInput(candidate, prepared.TestBlob, prepared.TrainingMean, runId, prepared.Split), "Evaluating");
            var champion = request.Promote == PromotionPolicy.Auto
                ? await CallAsync<ChampionEvaluation>(context, nameof(EvaluateChampion), new EvaluateChampionInput(request.Model, prepared.TestBlob, prepared.TrainingMean, prepared.Split), "Scoring the production model")
                : new ChampionEvaluation(null, null, null);
            var promotion = PromotionDecision.Decide(request.Promote, metrics, champion);
            var warnings = TrainingWarnings.Of(prepared.Schema, prepared.Rows, metrics);

            context.SetCustomStatus(TrainingStatus.Publishing);
            published = await CallAsync<PublishedModel>(context, nameof(PublishModel), new PublishModelInput(runId, request, candidate, prepared, metrics, promotion, warnings, crossValidation, sweep), "Publishing");

            if (promotion.Promote && !published.Aliases.Contains(ModelStore.Production))
            {
                promotion = promotion with { Promote = false, Reason = $"{promotion.Reason}, but production was moved by someone else during this run: not promoted" };
            }

            context.SetCustomStatus(TrainingStatus.Completed);
            logger.RunPublished(runId, request.Model, published.Version, metrics.RSquared, warnings.Count);
            return new TrainingResult(request.Model, published.Version, metrics, metrics.RSquared, prepared.Rows, published, promotion, warnings, crossValidation, sweep);
        }
        catch (TrainingFailedException)
        {
            context.SetCustomStatus(TrainingStatus.Failed);
            throw;
        }
        finally
        {
            await CleanupAsync(context, new CleanupTrainingRunInput(runId, request.Model, Published: published is not null), logger);
        }
    }

    // The folds of one trainer run as parallel activities (fan-out), then are summed up (fan-in).
    private static async Task<CrossValidationSummary> CrossValidateAsync(TaskOrchestrationContext context, TrainingRequest request, PreparedDataset prepared, TrainerOptions trainer)
    {
        var folds = await Task.WhenAll(Enumerable.Range(0, request.Folds).Select(fold => CallAsync<RegressionMetrics>(
            context, nameof(CrossValidateFold), new CrossValidateFoldInput(prepared.TrainBlob, trainer, request.Seed, request.Folds, fold, prepared.Split), $"Cross-validating {trainer.Name}")));
        return CrossValidationSummary.Of(folds);
    }

    // Candidates are cross-validated SweepBatch at a time, every fold of each its own activity; between batches the time
    // budget is checked on the orchestration's clock (replay-safe), so a sweep stops starting new work once it is spent.
    private static async Task<(CrossValidationSummary?, SweepOutcome?)> SweepAsync(TaskOrchestrationContext context, TrainingRequest request, PreparedDataset prepared, SweepRequest sweep)
    {
        var candidates = SweepCandidates.Take(sweep.MaxCandidates);
        var started = context.CurrentUtcDateTime;
        var entries = new List<SweepEntry>();
        var stopped = false;
        for (var first = 0; first < candidates.Count; first += SweepBatch)
        {
            if (first > 0 && context.CurrentUtcDateTime - started >= TimeSpan.FromSeconds(sweep.BudgetSeconds))
            {
                stopped = true;
                break;
            }

            context.SetCustomStatus(TrainingStatus.Sweeping(entries.Count, candidates.Count));
            var batch = candidates.Skip(first).Take(SweepBatch).ToArray();
            var scores = await Task.WhenAll(batch.Select(candidate => CrossValidateAsync(context, request, prepared, candidate)));
            entries.AddRange(batch.Zip(scores, (candidate, score) => new SweepEntry(candidate, score)));
        }

        context.SetCustomStatus(TrainingStatus.Sweeping(entries.Count, candidates.Count));
        // OrderBy is stable: on a tie the earlier, simpler candidate wins.
        var leaderboard = entries.OrderBy(e => e.CrossValidation.RmseMean ?? double.PositiveInfinity).ToArray();
        return (leaderboard[0].CrossValidation, new SweepOutcome(candidates.Count, entries.Count, stopped, leaderboard));
    }

    // Leftover files cost a little storage; failing a run whose model is already published would cost trust.
    private static async Task CleanupAsync(TaskOrchestrationContext context, CleanupTrainingRunInput input, ILogger logger)
    {
        try
        {
            await context.CallActivityAsync<bool>(nameof(CleanupTrainingRun), input, s_transientRetry);
        }
        catch (TaskFailedException e)
        {
            logger.CleanupFailed(input.RunId, e.FailureDetails);
        }
    }

    // The run's output says what failed and what to do (RunFailure); what the activity threw, which can be an SDK's
    // XML and request ids, goes to the log under the run id.
    private static async Task<T> CallAsync<T>(TaskOrchestrationContext context, string activity, object input, string phase)
    {
        try
        {
            return await context.CallActivityAsync<T>(activity, input, s_transientRetry);
        }
        catch (TaskFailedException e)
        {
            context.CreateReplaySafeLogger(nameof(TrainingOrchestration)).ActivityFailed(context.InstanceId, activity, e.FailureDetails, e.FailureDetails.StackTrace);
            throw new TrainingFailedException(RunFailure.Describe(phase, e.FailureDetails, Attempts, context.InstanceId));
        }
    }
}
