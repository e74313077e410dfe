using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.DurableTask.Client;
using ServerlessML.Http;

namespace ServerlessML.LocalHost.Durable;

/// <summary>
/// The Functions host's durable instance API (<c>/runtime/webhooks/durabletask/instances/{id}</c>): status, terminate,
/// raiseEvent, suspend, resume and purge, with its status codes and body fields, so a client written against one host
/// works unchanged against the other. It is a thin skin over <see cref="DurableTaskClient"/>: no app logic.
/// </summary>
public static class DurableHttpApi
{
    public static IEndpointRouteBuilder MapDurableHttpApi(this IEndpointRouteBuilder endpoints)
    {
        // The same path the 202 links point at, so the links and the API cannot drift apart.
        var instance = endpoints.MapGroup(RequestManagementLinks.InstancesPath + "/{instanceId}");
        instance.MapGet("", GetStatusAsync);
        instance.MapDelete("", PurgeAsync);
        instance.MapPost("terminate", TerminateAsync);
        instance.MapPost("suspend", SuspendAsync);
        instance.MapPost("resume", ResumeAsync);
        instance.MapPost("raiseEvent/{eventName}", RaiseEventAsync);
        return endpoints;
    }

    private static async Task<IResult> GetStatusAsync(string instanceId, HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var query = DurableStatusQuery.From(request.Query);
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
        if (instance is null)
        {
            return NotFound(instanceId);
        }

        // Every instance has at least its start in its history; the in-memory backend (0.2.x) gives clients none, and
        // an empty historyEvents would say that nothing happened, so it is left out instead (see the README).
        var history = query.ShowHistory ? await client.GetOrchestrationHistoryAsync(instanceId, cancellationToken) : null;
        return new DurableStatusResult(instance, history is { Count: > 0 } ? history.ToList() : null, query);
    }

    private static Task<IResult> TerminateAsync(string instanceId, string? reason, DurableTaskClient client, CancellationToken cancellationToken) =>
        WhileActiveAsync(client, instanceId, () => Done(client.TerminateInstanceAsync(instanceId, reason, cancellationToken)), cancellationToken);

    private static Task<IResult> SuspendAsync(string instanceId, string? reason, DurableTaskClient client, CancellationToken cancellationToken) =>
        WhileActiveAsync(client, instanceId, () => Done(client.SuspendInstanceAsync(instanceId, reason, cancellationToken)), cancellationToken);

    private static Task<IResult> ResumeAsync(string instanceId, string? reason, DurableTaskClient client, CancellationToken cancellationToken) =>
        WhileActiveAsync(client, instanceId, () => Done(client.ResumeInstanceAsync(instanceId, reason, cancellationToken)), cancellationToken);

    private static async Task<IResult> RaiseEventAsync(string instanceId, string eventName, HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        return await WhileActiveAsync(client, instanceId, async () =>
        {
            if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !string.Equals(type.MediaType, "application/json", StringComparison.OrdinalIgnoreCase))
            {
                return Problem(StatusCodes.Status400BadRequest, "Only application/json is supported", "Send the event data as JSON with Content-Type: application/json.");
            }

            JsonElement? data;
            try
            {
                using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
                data = body.RootElement.Clone();
            }
            catch (JsonException e)
            {
                return Problem(StatusCodes.Status400BadRequest, "Invalid JSON content", $"The event data is not valid JSON: {e.Message}");
            }

            await client.RaiseEventAsync(instanceId, eventName, data, cancellationToken);
            return null;
        }, cancellationToken);
    }

    private static async Task<IResult> PurgeAsync(string instanceId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
        if (instance is null)
        {
            return NotFound(instanceId);
        }

        if (!instance.IsCompleted)
        {
            return Problem(
                StatusCodes.Status412PreconditionFailed,
                "The instance has not finished",
                $"Only orchestrations in a terminal state can be purged, but {instanceId} is {instance.RuntimeStatus}. Terminate it first.");
        }

        var purged = await client.PurgeInstanceAsync(instanceId, cancellationToken);
        return Results.Ok(new PurgeResponse(purged.PurgedInstanceCount));
    }

    // Operations on an instance answer 404 when there is none and 410 when it has finished, before doing anything.
    // The operation returns a refusal, or null once it is done.
    private static async Task<IResult> WhileActiveAsync(DurableTaskClient client, string instanceId, Func<Task<IResult?>> operation, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
        if (instance is null)
        {
            return NotFound(instanceId);
        }

        if (instance.IsCompleted)
        {
            return Problem(StatusCodes.Status410Gone, "The instance has finished", $"{instanceId} is {instance.RuntimeStatus}; it takes no more operations.");
        }

        return await operation() ?? Results.StatusCode(StatusCodes.Status202Accepted);
    }

    private static async Task<IResult?> Done(Task operation)
    {
        await operation;
        return null;
    }

    private static IResult NotFound(string instanceId) =>
        Problem(StatusCodes.Status404NotFound, "No such instance", $"There is no orchestration instance '{instanceId}'. It may never have existed or have been purged.");

    private static IResult Problem(int status, string title, string detail) =>
        Results.Problem(detail, statusCode: status, title: title);

    /// <summary>The host's purge answer.</summary>
    public sealed record PurgeResponse(int InstancesDeleted);
}
