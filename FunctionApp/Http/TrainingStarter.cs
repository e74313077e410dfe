using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using ServerlessML.Data;
using ServerlessML.Storage;
using ServerlessML.Telemetry;
using ServerlessML.Training;

namespace ServerlessML.Http;

/// <summary>
/// Starts a training run from a request: checks it, stages its data in blob storage (the claim check the run carries)
/// and schedules the orchestration. <c>POST /api/train</c> and the durable API's start-by-name both come here, so a run
/// never starts on data that was not checked.
/// </summary>
public sealed class TrainingStarter(TrainRequestReader reader, DatasetStore datasets, ILogger<TrainingStarter> logger)
{
    /// <summary>Starts a run under <paramref name="runId"/> (a new id when null) and returns the checked submission.</summary>
    public async Task<(string RunId, TrainSubmission Submission)> StartAsync(
        HttpRequest request, DurableTaskClient client, string? runId, CancellationToken cancellationToken)
    {
        var submission = await reader.ReadAsync(request, cancellationToken);
        runId ??= Guid.NewGuid().ToString("N");
        // The run's root in the app: the SDK carries its context into the orchestration and every activity.
        using var span = ServerlessTelemetry.Source.StartActivity("StartTraining")?
            .SetTag(ServerlessTelemetry.RunIdAttribute, runId)
            .SetTag(ServerlessTelemetry.ModelAttribute, submission.Model)
            .SetTag(ServerlessTelemetry.RowsAttribute, submission.Data.Rows);
        // Data in the body is staged as it was parsed and checked, kinds and categories included: the run reads it back
        // as it is. A named dataset is read from its upload.
        var datasetBlob = submission.Data switch
        {
            InlineData inline => await datasets.StageAsync(submission.Model, runId, inline.Dataset, inline.Sha256, cancellationToken),
            NamedData named => DatasetStore.NamedPath(named.Summary.Name, named.Summary.Format),
            _ => throw new InvalidOperationException("Unknown kind of training data."),
        };
        var training = new TrainingRequest(
            submission.Model,
            datasetBlob.ToString(),
            submission.Data.Label,
            Kinds: null,
            submission.TestFraction,
            submission.Seed,
            submission.Trainer,
            submission.Promote,
            submission.Data.Rows,
            submission.Folds,
            submission.Sweep,
            Staged: submission.Data is InlineData);
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(TrainingOrchestration), training, new StartOrchestrationOptions(runId), cancellationToken);
        }
        catch when (submission.Data is InlineData)
        {
            // No run will ever read it: don't leave it behind.
            await datasets.DeleteAsync(datasetBlob, CancellationToken.None);
            throw;
        }

        logger.TrainingStarted(runId, submission.Model, submission.Data.Rows, datasetBlob.ToString());
        return (runId, submission);
    }

    /// <summary>
    /// Waits up to <paramref name="wait"/> for a run to finish; null when it has not. Polls the instance itself: the
    /// client's own wait polls every 2 s on some backends, which is most of a small run. The interval grows with the time
    /// waited (a twentieth of it, 100 ms to 1 s), so the answer comes within 5 % of the run's time after it ends; doubling
    /// it instead left a 5-second run waiting up to another second.
    /// </summary>
    public static async Task<OrchestrationMetadata?> WaitAsync(DurableTaskClient client, string runId, TimeSpan wait, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        var deadline = started + wait;
        while (true)
        {
            var instance = await client.GetInstanceAsync(runId, getInputsAndOutputs: true, cancellationToken);
            if (instance is { IsCompleted: true })
            {
                return instance;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            var interval = TimeSpan.FromMilliseconds(Math.Clamp((DateTime.UtcNow - started).TotalMilliseconds / 20, 100, 1000));
            await Task.Delay(left < interval ? left : interval, cancellationToken);
        }
    }
}
