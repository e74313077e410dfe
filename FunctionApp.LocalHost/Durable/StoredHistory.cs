using DurableTask.Core;
using DurableTask.Core.History;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ServerlessML.LocalHost.Durable;

/// <summary>
/// An instance's history as the Azure Storage backend keeps it. The SDK's client cannot read it through the sidecar
/// (it streams none), so it is read from the backend itself, which gives it as JSON: one object per event, its kind
/// in <c>EventType</c>, with the fields of that kind's <see cref="HistoryEvent"/> class.
/// </summary>
public static class StoredHistory
{
    private static readonly JsonSerializer s_serializer = JsonSerializer.Create(new JsonSerializerSettings
    {
        ConstructorHandling = ConstructorHandling.AllowNonPublicDefaultConstructor,
        DateTimeZoneHandling = DateTimeZoneHandling.Utc,
    });

    /// <summary>The latest execution's events, oldest first; empty for an instance with no history (or none left).</summary>
    public static async Task<IReadOnlyList<HistoryEvent>> ReadAsync(IOrchestrationServiceClient backend, string instanceId) =>
        Parse(await backend.GetOrchestrationHistoryAsync(instanceId, executionId: null));

    public static IReadOnlyList<HistoryEvent> Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        var events = new List<HistoryEvent>();
        foreach (var item in JArray.Parse(json).OfType<JObject>())
        {
            var kind = (EventType)item.Value<int>(nameof(HistoryEvent.EventType));
            // Every kind has its class: ExecutionStarted is an ExecutionStartedEvent, GenericEvent a GenericEvent.
            var type = typeof(HistoryEvent).Assembly.GetType($"DurableTask.Core.History.{kind}Event")
                ?? typeof(HistoryEvent).Assembly.GetType($"DurableTask.Core.History.{kind}");
            if (type is not null && item.ToObject(type, s_serializer) is HistoryEvent historyEvent)
            {
                events.Add(historyEvent);
            }
        }

        return events;
    }
}
