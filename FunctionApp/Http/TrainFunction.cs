using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using ServerlessML.Data;
using ServerlessML.Storage;
using ServerlessML.Training;

namespace ServerlessML.Http;

/// <summary><c>POST /api/train</c>: checks the data, stages it in blob storage and starts the training orchestration.</summary>
public sealed class TrainFunction(TrainRequestReader reader, DatasetStore datasets, IDurableManagementLinks links, ILogger<TrainFunction> logger)
{
    /// <summary>How long a client should wait between status polls, as the durable status endpoint advises.</summary>
    public const int RetryAfterSeconds = 10;

    [Function("Train")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "train")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        await Problems.HandleAsync(() => StartAsync(request, client, cancellationToken));

    private async Task<IActionResult> StartAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var submission = await reader.ReadAsync(request, cancellationToken);
        var runId = Guid.NewGuid().ToString("N");
        var (datasetBlob, kinds) = submission.Data switch
        {
            InlineData inline => (
                await datasets.StageAsync(submission.Model, runId, inline.Csv, cancellationToken),
                inline.Dataset.Table.Columns.ToDictionary(c => c.Name, c => c.Kind)),
            NamedData named => (DatasetStore.NamedPath(named.Summary.Name), (Dictionary<string, ColumnKind>?)null),
            _ => throw new InvalidOperationException("Unknown kind of training data."),
        };
        var training = new TrainingRequest(
            submission.Model,
            datasetBlob.ToString(),
            submission.Data.Label,
            kinds,
            submission.TestFraction,
            submission.Seed,
            submission.Trainer,
            submission.Promote,
            submission.Data.Rows);
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

        logger.LogInformation("Started training run {RunId} of {Model} on {Rows} rows of {Dataset}", runId, submission.Model, submission.Data.Rows, datasetBlob);
        var status = links.Create(client, request, runId);
        if (submission.Wait > TimeSpan.Zero && await WaitAsync(client, runId, submission.Wait, cancellationToken) is { } finished)
        {
            return Finished(finished, status);
        }

        return new HeaderResult(new AcceptedResult(status.StatusQueryGetUri, status), "Retry-After", RetryAfterSeconds.ToString(CultureInfo.InvariantCulture));
    }

    private static async Task<OrchestrationMetadata?> WaitAsync(DurableTaskClient client, string runId, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            return await client.WaitForInstanceCompletionAsync(runId, getInputsAndOutputs: true, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static IActionResult Finished(OrchestrationMetadata finished, DurableManagementLinks status) =>
        finished.RuntimeStatus == OrchestrationRuntimeStatus.Completed
            ? new ContentResult { StatusCode = StatusCodes.Status200OK, ContentType = "application/json", Content = finished.SerializedOutput }
            : Problems.Create(
                StatusCodes.Status422UnprocessableEntity,
                "Training did not complete",
                finished.FailureDetails?.ErrorMessage ?? $"The training run ended {finished.RuntimeStatus}.",
                new Dictionary<string, object?> { ["id"] = status.Id, ["runtimeStatus"] = finished.RuntimeStatus.ToString(), ["statusQueryGetUri"] = status.StatusQueryGetUri });
}
