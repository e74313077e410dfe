using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace ServerlessML.Http;

/// <summary><c>POST /api/train</c>: checks the data, stages it in blob storage and starts the training orchestration.</summary>
public sealed class TrainFunction(TrainingStarter starter, IDurableManagementLinks links)
{
    /// <summary>How long a client should wait between status polls, as the durable status endpoint advises.</summary>
    public const int RetryAfterSeconds = 10;

    [Function("Train")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "api/train")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        await StartAsync(request, client, cancellationToken);

    /// <summary>The durable async-HTTP answer for a started run: 202 with Location, Retry-After and the management links.</summary>
    public static IActionResult Accepted(DurableManagementLinks status) =>
        new HeaderResult(new AcceptedResult(status.StatusQueryGetUri, status), "Retry-After", RetryAfterSeconds.ToString(CultureInfo.InvariantCulture));

    private async Task<IActionResult> StartAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var (runId, submission) = await starter.StartAsync(request, client, runId: null, cancellationToken);
        var status = links.Create(client, request, runId);
        if (submission.Wait > TimeSpan.Zero && await TrainingStarter.WaitAsync(client, runId, submission.Wait, cancellationToken) is { } finished)
        {
            return Finished(finished, status);
        }

        return Accepted(status);
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
