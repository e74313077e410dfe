using System.Globalization;
using System.Text.Json;
using DurableTask.Core.History;

namespace ServerlessML.LocalHost.Durable;

/// <summary>
/// Writes an instance's history as the Functions host's <c>historyEvents</c>: one object per event that means something
/// to a reader, PascalCase fields, the function name on each task result, and results only when asked for.
/// </summary>
public static class DurableHistoryWriter
{
    public static void Write(Utf8JsonWriter writer, IReadOnlyList<HistoryEvent> history, bool showHistoryOutput)
    {
        // Completions name their task only by id; the host reports the scheduled function's name and time with them.
        var scheduled = history.OfType<TaskScheduledEvent>().ToDictionary(e => e.EventId);
        writer.WriteStartArray("historyEvents");
        foreach (var e in history)
        {
            // Replay bookkeeping, and schedules that are reported with their completion.
            if (e is OrchestratorStartedEvent or OrchestratorCompletedEvent or TaskScheduledEvent)
            {
                continue;
            }

            writer.WriteStartObject();
            writer.WriteString("EventType", e.EventType.ToString());
            switch (e)
            {
                case ExecutionStartedEvent started:
                    writer.WriteString("FunctionName", started.Name);
                    break;
                case TaskCompletedEvent completed:
                    Scheduled(writer, scheduled, completed.TaskScheduledId);
                    Output(writer, showHistoryOutput, "Result", completed.Result);
                    break;
                case TaskFailedEvent failed:
                    Scheduled(writer, scheduled, failed.TaskScheduledId);
                    writer.WriteString("Reason", failed.FailureDetails?.ErrorMessage ?? failed.Reason);
                    break;
                case EventRaisedEvent raised:
                    writer.WriteString("Name", raised.Name);
                    Output(writer, showHistoryOutput, "Input", raised.Input);
                    break;
                case ExecutionSuspendedEvent suspended:
                    writer.WriteString("Reason", suspended.Reason);
                    break;
                case ExecutionResumedEvent resumed:
                    writer.WriteString("Reason", resumed.Reason);
                    break;
                case ExecutionTerminatedEvent terminated:
                    Output(writer, showHistoryOutput, "Input", terminated.Input);
                    break;
                case TimerCreatedEvent timer:
                    writer.WriteString("FireAt", Time(timer.FireAt));
                    break;
                case TimerFiredEvent timer:
                    writer.WriteString("FireAt", Time(timer.FireAt));
                    break;
                case ExecutionCompletedEvent end:
                    writer.WriteString("OrchestrationStatus", end.OrchestrationStatus.ToString());
                    Output(writer, showHistoryOutput, "Result", end.FailureDetails?.ErrorMessage ?? end.Result);
                    break;
            }

            writer.WriteString("Timestamp", Time(e.Timestamp));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void Scheduled(Utf8JsonWriter writer, Dictionary<int, TaskScheduledEvent> scheduled, int id)
    {
        if (scheduled.TryGetValue(id, out var task))
        {
            writer.WriteString("FunctionName", task.Name);
            writer.WriteString("ScheduledTime", Time(task.Timestamp));
        }
    }

    private static void Output(Utf8JsonWriter writer, bool show, string name, string? serialized)
    {
        if (show)
        {
            SerializedJson.Write(writer, name, serialized);
        }
    }

    private static string Time(DateTime time) =>
        DateTime.SpecifyKind(time, DateTimeKind.Utc).ToString("o", CultureInfo.InvariantCulture);
}
