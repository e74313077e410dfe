using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using DurableTask.Core;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Primitives;
using ServerlessML.Http;
using ServerlessML.LocalHost.Security;
using ServerlessML.Training;

namespace ServerlessML.LocalHost.Durable;

/// <summary>
/// The Functions host's durable HTTP API (<c>/runtime/webhooks/durabletask/…</c>): instance status with history, the
/// instance list, purge (one or by filter), terminate, suspend, resume, raise event, restart and start by name, with its
/// status codes, body fields and continuation header, so a client written against one host works unchanged against
/// the other. It is a thin skin over <see cref="DurableTaskClient"/> and the backend: no app logic. Where it answers
/// differently from the host, on purpose, the README says so.
/// </summary>
public static class DurableHttpApi
{
    public const string BasePath = "/runtime/webhooks/durabletask";

    public const string InstancesPath = BasePath + "/instances";

    /// <summary>The header a page of the instance list carries its continuation in, and the next request sends it back in.</summary>
    public const string ContinuationHeader = "x-ms-continuation-token";

    private const int DefaultPageSize = 100;
    private const int MaxEventBytes = 1024 * 1024;
    private const int MaxPageSize = 1000;

    private static readonly OrchestrationRuntimeStatus[] s_finished =
        [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated];

    public static IEndpointRouteBuilder MapDurableHttpApi(this IEndpointRouteBuilder endpoints)
    {
        // The durable extension's system level: the durable task key, or the master key, when keys are set.
        var root = endpoints.MapGroup(BasePath).WithMetadata(new RequiredKey(AuthorizationLevel.System));
        // The same path the 202 links point at, so the links and the API cannot drift apart.
        var instances = root.MapGroup("instances");
        instances.MapGet("", ListAsync);
        instances.MapDelete("", PurgeByFilterAsync);

        var instance = instances.MapGroup("{instanceId}");
        instance.MapGet("", GetStatusAsync);
        instance.MapDelete("", PurgeAsync);
        instance.MapPost("terminate", TerminateAsync);
        instance.MapPost("suspend", SuspendAsync);
        instance.MapPost("resume", ResumeAsync);
        instance.MapPost("raiseEvent/{eventName}", RaiseEventAsync);
        instance.MapPost("restart", RestartAsync);
        instance.MapPost("rewind", RewindAsync);

        root.MapPost("orchestrators/{functionName}/{instanceId?}", StartAsync);
        root.Map("entities/{**path}", () => Problem(
            StatusCodes.Status501NotImplemented,
            "Durable entities are not supported",
            "This app has no durable entities, and the local host's backend serves none."));
        return endpoints;
    }

    private static async Task<IResult> GetStatusAsync(string instanceId, HttpRequest request, DurableTaskClient client, IOrchestrationServiceClient backend, CancellationToken cancellationToken)
    {
        var query = DurableStatusQuery.From(request.Query);
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
        if (instance is null)
        {
            return NotFound(instanceId);
        }

        // The SDK's client gets no history through the sidecar; the backend has it.
        var history = query.ShowHistory ? await StoredHistory.ReadAsync(backend, instanceId) : null;
        return new DurableStatusResult(instance, history, query);
    }

    private static async Task<IResult> ListAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var filter = InstanceFilter.From(request.Query);
        var top = PositiveInt(request.Query, "top") ?? DefaultPageSize;
        if (top > MaxPageSize)
        {
            return BadRequest($"top is at most {MaxPageSize}; got {top}. Follow the {ContinuationHeader} header for the next page.");
        }

        var showInput = Flag(request.Query, "showInput") ?? true;
        var query = new OrchestrationQuery(filter.CreatedFrom, filter.CreatedTo, filter.Statuses, PageSize: top, FetchInputsAndOutputs: true, InstanceIdPrefix: filter.InstanceIdPrefix);
        var continuation = request.Headers[ContinuationHeader] is { Count: > 0 } header && !string.IsNullOrEmpty(header.ToString()) ? header.ToString() : null;

        await using var pages = client.GetAllInstancesAsync(query).AsPages(continuation, top).GetAsyncEnumerator(cancellationToken);
        var page = await pages.MoveNextAsync() ? pages.Current : null;
        return new InstanceListResult(page?.Values ?? [], page?.ContinuationToken, showInput);
    }

    private static async Task<IResult> PurgeByFilterAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var filter = InstanceFilter.From(request.Query);
        if (filter.CreatedFrom is not { } from)
        {
            return BadRequest("Give createdTimeFrom (and optionally createdTimeTo and runtimeStatus), e.g. ?createdTimeFrom=2026-01-01T00:00:00Z: purging needs a time range.");
        }

        // Unlike the host, which on Azure Storage purges running instances too when no finished status is named,
        // only finished instances are purged: a running one would leave its work without an instance.
        var running = filter.Statuses?.Except(s_finished).ToList() ?? [];
        if (running.Count > 0)
        {
            return BadRequest($"Only finished instances (Completed, Failed, Terminated) can be purged, not {string.Join(", ", running)}. Terminate them first.");
        }

        var statuses = filter.Statuses is { Count: > 0 } given ? given : s_finished;
        var purged = await client.PurgeAllInstancesAsync(new PurgeInstancesFilter(from, filter.CreatedTo ?? DateTimeOffset.UtcNow, statuses), cancellationToken);
        return purged.PurgedInstanceCount == 0
            ? Problem(StatusCodes.Status404NotFound, "Nothing to purge", "No finished instance matched the filter.")
            : Results.Ok(new PurgeResponse(purged.PurgedInstanceCount));
    }

    private static Task<IResult> TerminateAsync(string instanceId, string? reason, DurableTaskClient client, CancellationToken cancellationToken) =>
        WhileActiveAsync(client, instanceId, _ => Done(client.TerminateInstanceAsync(instanceId, reason, cancellationToken)), cancellationToken);

    private static Task<IResult> SuspendAsync(string instanceId, string? reason, DurableTaskClient client, CancellationToken cancellationToken) =>
        WhileActiveAsync(client, instanceId, _ => Done(client.SuspendInstanceAsync(instanceId, reason, cancellationToken)), cancellationToken);

    private static Task<IResult> ResumeAsync(string instanceId, string? reason, DurableTaskClient client, CancellationToken cancellationToken) =>
        WhileActiveAsync(client, instanceId, _ => Done(client.ResumeInstanceAsync(instanceId, reason, cancellationToken)), cancellationToken);

    private static async Task<IResult> RaiseEventAsync(string instanceId, string eventName, HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        return await WhileActiveAsync(client, instanceId, async _ =>
        {
            if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !string.Equals(type.MediaType, "application/json", StringComparison.OrdinalIgnoreCase))
            {
                return BadRequest("Send the event data as JSON with Content-Type: application/json.", "Only application/json is supported");
            }

            JsonElement? data;
            try
            {
                // Event data travels in the instance's history: the backend takes a megabyte at most.
                using var body = JsonDocument.Parse(await RequestBody.ReadAsync(request, MaxEventBytes, setting: null, cancellationToken));
                data = body.RootElement.Clone();
            }
            catch (JsonException e)
            {
                return BadRequest($"The event data is not valid JSON: {e.Message}", "Invalid JSON content");
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

    private static async Task<IResult> RestartAsync(
        string instanceId, HttpRequest request, DurableTaskClient client, IDurableManagementLinks links, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
        if (instance is null)
        {
            return NotFound(instanceId);
        }

        var newId = Flag(request.Query, "restartWithNewInstanceId") ?? true;
        if (!newId && !instance.IsCompleted)
        {
            return Problem(
                StatusCodes.Status409Conflict,
                "The instance is still running",
                $"{instanceId} is {instance.RuntimeStatus}: restarting it under the same id would overwrite it. Terminate it first, or restart with restartWithNewInstanceId=true.");
        }

        // The same orchestration with the same input, as the host restarts it. Scheduled here rather than through the
        // client's restart, which the sidecar answers with an instance whose status it then cannot read until it runs.
        using var input = instance.SerializedInput is { Length: > 0 } serialized ? JsonDocument.Parse(serialized) : null;
        var restarted = await client.ScheduleNewOrchestrationInstanceAsync(
            instance.Name, input?.RootElement, new StartOrchestrationOptions(newId ? Guid.NewGuid().ToString("N") : instanceId), cancellationToken);
        return new StartedResult(links.Create(client, request, restarted));
    }

    private static async Task<IResult> RewindAsync(string instanceId, DurableTaskClient client, CancellationToken cancellationToken) =>
        await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is null
            ? NotFound(instanceId)
            : Problem(
                StatusCodes.Status501NotImplemented,
                "Rewind is not supported",
                "The local host's durable backend cannot rewind an instance. Restart it instead: POST …/restart starts the same run again under a new id.");

    /// <summary>Start by name: the training orchestration takes what <c>POST /api/train</c> takes, checked and staged the same way.</summary>
    private static async Task<IResult> StartAsync(
        string functionName, string? instanceId, HttpRequest request, DurableTaskClient client, TrainingStarter starter, IDurableManagementLinks links, CancellationToken cancellationToken)
    {
        if (!string.Equals(functionName, nameof(TrainingOrchestration), StringComparison.OrdinalIgnoreCase))
        {
            return Problem(
                StatusCodes.Status404NotFound,
                "No such orchestrator function",
                $"This app has no orchestrator function '{functionName}'. Its orchestrator is {nameof(TrainingOrchestration)}: POST the body of /api/train to {BasePath}/orchestrators/{nameof(TrainingOrchestration)}, or to /api/train itself.");
        }

        if (instanceId is not null)
        {
            if (InstanceIdProblem(instanceId) is { } problem)
            {
                return BadRequest(problem);
            }

            if (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is { IsCompleted: false } existing)
            {
                return Problem(StatusCodes.Status409Conflict, "The instance already exists", $"Instance {instanceId} already exists and is {existing.RuntimeStatus}. Use another id, or terminate it first.");
            }
        }

        var (runId, _) = await starter.StartAsync(request, client, instanceId, cancellationToken);
        return new StartedResult(links.Create(client, request, runId));
    }

    // Operations on an instance answer 404 when there is none and 410 when it has finished, before doing anything.
    // The operation returns a refusal, or null once it is done.
    private static async Task<IResult> WhileActiveAsync(DurableTaskClient client, string instanceId, Func<OrchestrationMetadata, Task<IResult?>> operation, CancellationToken cancellationToken)
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

        return await operation(instance) ?? Results.StatusCode(StatusCodes.Status202Accepted);
    }

    private static async Task<IResult?> Done(Task operation)
    {
        await operation;
        return null;
    }

    // The Functions host's rules for an instance id that a caller chooses.
    private static string? InstanceIdProblem(string id) =>
        id.Length > 256 ? "An instance id is at most 256 characters."
        : id.StartsWith('@') ? "An instance id cannot start with '@'."
        : id.Any(c => c is '/' or '\\' or '?' or '#' || char.IsControl(c)) ? "An instance id cannot contain '/', '\\', '?', '#' or control characters."
        : null;

    private static int? PositiveInt(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var value)
            ? int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
                ? number
                : throw new InvalidRequestException($"{name} must be a positive whole number; got '{value}'.")
            : null;

    private static bool? Flag(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var value)
            ? bool.TryParse(value, out var flag) ? flag : throw new InvalidRequestException($"{name} must be true or false; got '{value}'.")
            : null;

    private static IResult NotFound(string instanceId) =>
        Problem(StatusCodes.Status404NotFound, "No such instance", $"There is no orchestration instance '{instanceId}'. It may never have existed or have been purged.");

    private static IResult BadRequest(string detail, string title = "The request is not valid") => Problem(StatusCodes.Status400BadRequest, title, detail);

    private static IResult Problem(int status, string title, string detail) =>
        Results.Problem(detail, statusCode: status, title: title);

    /// <summary>The host's purge answer.</summary>
    public sealed record PurgeResponse(int InstancesDeleted);

    /// <summary>The list's filter, as the host reads it from the query string.</summary>
    private sealed record InstanceFilter(DateTimeOffset? CreatedFrom, DateTimeOffset? CreatedTo, IReadOnlyList<OrchestrationRuntimeStatus>? Statuses, string? InstanceIdPrefix)
    {
        public static InstanceFilter From(IQueryCollection query) => new(
            Time(query, "createdTimeFrom"),
            Time(query, "createdTimeTo"),
            ParseStatuses(query["runtimeStatus"]),
            query.TryGetValue("instanceIdPrefix", out var prefix) ? prefix.ToString() : null);

        private static DateTimeOffset? Time(IQueryCollection query, string name) =>
            query.TryGetValue(name, out var value)
                ? DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
                    ? time
                    : throw new InvalidRequestException($"{name} must be a date and time such as 2026-01-31T12:00:00Z; got '{value}'.")
                : null;

        // Comma-separated, repeated, or both, as the host takes them; a name it does not know is refused rather than dropped.
        private static List<OrchestrationRuntimeStatus>? ParseStatuses(StringValues values)
        {
            var names = values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            if (names.Count == 0)
            {
                return null;
            }

            return names.Select(name => Enum.TryParse<OrchestrationRuntimeStatus>(name, ignoreCase: true, out var status) && Enum.IsDefined(status) && !int.TryParse(name, out _)
                ? status
                : throw new InvalidRequestException(
                    $"runtimeStatus '{name}' is not a status. Use {string.Join(", ", Enum.GetNames<OrchestrationRuntimeStatus>())}, comma-separated.")).ToList();
        }
    }

    /// <summary>A page of the instance list: a JSON array of statuses, and the continuation header (empty on the last page).</summary>
    private sealed class InstanceListResult(IReadOnlyList<OrchestrationMetadata> instances, string? continuation, bool showInput) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.Headers[ContinuationHeader] = continuation ?? "";
            response.ContentType = "application/json; charset=utf-8";
            await using var writer = new Utf8JsonWriter(response.Body);
            writer.WriteStartArray();
            foreach (var instance in instances)
            {
                DurableStatusResult.Write(writer, instance, showInput);
            }

            writer.WriteEndArray();
            await writer.FlushAsync(httpContext.RequestAborted);
        }
    }

    /// <summary>The host's answer to a start: 202, Location, Retry-After and the management links of the new instance.</summary>
    private sealed class StartedResult(DurableManagementLinks links) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status202Accepted;
            response.Headers.Location = links.StatusQueryGetUri;
            response.Headers.RetryAfter = TrainFunction.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            await response.WriteAsJsonAsync(links, ServerlessJson.Options, httpContext.RequestAborted);
        }
    }
}
