using System.Globalization;
using System.Text.Json;
using DurableTask.Core.History;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.DurableTask.Client;

namespace ServerlessML.LocalHost.Durable;

/// <summary>
/// The Functions host's answer to <c>GET …/instances/{id}</c>: its body fields, and 202 with <c>Location</c> and
/// <c>Retry-After</c> while the instance can still change, 200 once it has finished (500 for a failure when asked).
/// </summary>
public sealed class DurableStatusResult(OrchestrationMetadata instance, IReadOnlyList<HistoryEvent>? history, DurableStatusQuery query) : IResult
{
    /// <summary>The host asks pollers for five seconds so that none of them retries in a tight loop.</summary>
    public const int RetryAfterSeconds = 5;

    public static int StatusCode(OrchestrationRuntimeStatus status, bool returnInternalServerErrorOnFailure) => status switch
    {
        OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended => StatusCodes.Status202Accepted,
        OrchestrationRuntimeStatus.Failed => returnInternalServerErrorOnFailure ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK,
        OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Terminated => StatusCodes.Status200OK,
        _ => StatusCodes.Status500InternalServerError,
    };

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCode(instance.RuntimeStatus, query.ReturnInternalServerErrorOnFailure);
        if (response.StatusCode == StatusCodes.Status202Accepted)
        {
            response.Headers.Location = httpContext.Request.GetEncodedUrl();
            response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(response.Body);
        Write(writer, instance, query.ShowInput, history, query.ShowHistoryOutput);
        await writer.FlushAsync(httpContext.RequestAborted);
    }

    /// <summary>One instance as the host shows it, here and in the instance list (which never has history).</summary>
    public static void Write(Utf8JsonWriter writer, OrchestrationMetadata instance, bool showInput, IReadOnlyList<HistoryEvent>? history = null, bool showHistoryOutput = false)
    {
        writer.WriteStartObject();
        writer.WriteString("name", instance.Name);
        writer.WriteString("instanceId", instance.InstanceId);
        writer.WriteString("runtimeStatus", instance.RuntimeStatus.ToString());
        SerializedJson.Write(writer, "input", showInput ? instance.SerializedInput : null);
        SerializedJson.Write(writer, "customStatus", instance.SerializedCustomStatus);
        SerializedJson.Write(writer, "output", Output(instance));
        writer.WriteString("createdTime", Time(instance.CreatedAt));
        writer.WriteString("lastUpdatedTime", Time(instance.LastUpdatedAt));
        if (history is not null)
        {
            DurableHistoryWriter.Write(writer, history, showHistoryOutput);
        }

        writer.WriteEndObject();
    }

    // A failed instance has no output of its own; the host reports the failure's message there.
    private static string? Output(OrchestrationMetadata instance) =>
        instance.RuntimeStatus == OrchestrationRuntimeStatus.Failed && instance.FailureDetails is { } failure
            ? JsonSerializer.Serialize(failure.ErrorMessage)
            : instance.SerializedOutput;

    private static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
