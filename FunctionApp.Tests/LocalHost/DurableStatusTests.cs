using System.Text;
using System.Text.Json;
using DurableTask.Core;
using DurableTask.Core.History;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using ServerlessML.LocalHost.Durable;

namespace ServerlessML.Tests.LocalHost;

/// <summary>The status endpoint's codes and history shape, for the states and events a live run rarely shows.</summary>
public sealed class DurableStatusTests
{
    [TestCase(OrchestrationRuntimeStatus.Pending, false, 202)]
    [TestCase(OrchestrationRuntimeStatus.Running, false, 202)]
    [TestCase(OrchestrationRuntimeStatus.Suspended, false, 202)]
    [TestCase(OrchestrationRuntimeStatus.Completed, true, 200)]
    [TestCase(OrchestrationRuntimeStatus.Terminated, true, 200)]
    [TestCase(OrchestrationRuntimeStatus.Failed, false, 200)]
    [TestCase(OrchestrationRuntimeStatus.Failed, true, 500)]
    public void StatusCode_FollowsTheFunctionsHost(OrchestrationRuntimeStatus status, bool returnInternalServerErrorOnFailure, int expected)
    {
        Assert.That(DurableStatusResult.StatusCode(status, returnInternalServerErrorOnFailure), Is.EqualTo(expected));
    }

    [Test]
    public async Task FailedRun_AsksFor500_AnswersWithTheFailureAsOutputAndNoLocation()
    {
        var failed = new OrchestrationMetadata("TrainingOrchestration", "run-1")
        {
            RuntimeStatus = OrchestrationRuntimeStatus.Failed,
            CreatedAt = new DateTimeOffset(2026, 11, 28, 10, 0, 0, 250, TimeSpan.Zero),
            LastUpdatedAt = new DateTimeOffset(2026, 11, 28, 10, 0, 3, TimeSpan.Zero),
            SerializedInput = """{"model":"m"}""",
            SerializedCustomStatus = """{"phase":"failed"}""",
            FailureDetails = new TaskFailureDetails("TrainingFailedException", "Training failed: no rows", null, null, null),
        };
        var context = new DefaultHttpContext { Response = { Body = new MemoryStream() } };

        await new DurableStatusResult(failed, null, new DurableStatusQuery(false, false, true, true)).ExecuteAsync(context);
        context.Response.Body.Position = 0;
        using var body = await JsonDocument.ParseAsync(context.Response.Body);

        Assert.That(context.Response.StatusCode, Is.EqualTo(500));
        Assert.That(context.Response.Headers.Location.ToString(), Is.Empty);
        Assert.That(body.RootElement.GetProperty("output").GetString(), Is.EqualTo("Training failed: no rows"));
        Assert.That(body.RootElement.GetProperty("customStatus").GetProperty("phase").GetString(), Is.EqualTo("failed"));
        Assert.That(body.RootElement.GetProperty("input").GetProperty("model").GetString(), Is.EqualTo("m"));
        Assert.That(body.RootElement.GetProperty("createdTime").GetString(), Is.EqualTo("2026-11-28T10:00:00Z"));
        Assert.That(body.RootElement.GetProperty("lastUpdatedTime").GetString(), Is.EqualTo("2026-11-28T10:00:03Z"));
    }

    [TestCase("showHistory=true&showInput=false", true, false, false, false)]
    [TestCase("showHistoryOutput=TRUE&returnInternalServerErrorOnFailure=true", false, true, true, true)]
    [TestCase("showInput=yes", false, false, true, false)]
    public void Query_ReadsTheHostsFlagsWithItsDefaults(string query, bool history, bool historyOutput, bool input, bool failureAs500)
    {
        var parsed = DurableStatusQuery.From(new QueryCollection(QueryHelpers.ParseQuery(query)));

        Assert.That(parsed, Is.EqualTo(new DurableStatusQuery(history, historyOutput, input, failureAs500)));
    }

    [Test]
    public void History_ReportsCompletionsWithTheirFunctionAndHidesOutputUnlessAsked()
    {
        var start = new DateTime(2026, 11, 28, 10, 0, 0, DateTimeKind.Utc);
        HistoryEvent[] history =
        [
            new OrchestratorStartedEvent(-1) { Timestamp = start },
            new ExecutionStartedEvent(-1, "{}") { Name = "TrainingOrchestration", Timestamp = start },
            new TaskScheduledEvent(0) { Name = "PrepareDataset", Timestamp = start.AddSeconds(1) },
            new OrchestratorCompletedEvent(-1) { Timestamp = start.AddSeconds(1) },
            new TaskCompletedEvent(-1, 0, """{"rows":3}""") { Timestamp = start.AddSeconds(2) },
            new TaskScheduledEvent(1) { Name = "TrainModel", Timestamp = start.AddSeconds(2) },
            new TaskFailedEvent(-1, 1, null, null, new FailureDetails("InvalidDatasetException", "bad", null, null, false)) { Timestamp = start.AddSeconds(3) },
            new ExecutionCompletedEvent(-1, "\"done\"", OrchestrationStatus.Completed) { Timestamp = start.AddSeconds(4) },
        ];

        var hidden = Write(history, showHistoryOutput: false);
        var shown = Write(history, showHistoryOutput: true);

        Assert.That(hidden.EnumerateArray().Select(e => e.GetProperty("EventType").GetString()),
            Is.EqualTo(new[] { "ExecutionStarted", "TaskCompleted", "TaskFailed", "ExecutionCompleted" }));
        Assert.That(hidden[0].GetProperty("FunctionName").GetString(), Is.EqualTo("TrainingOrchestration"));
        Assert.That(hidden[1].GetProperty("FunctionName").GetString(), Is.EqualTo("PrepareDataset"));
        Assert.That(hidden[1].GetProperty("ScheduledTime").GetString(), Is.EqualTo("2026-11-28T10:00:01.0000000Z"));
        Assert.That(hidden[1].TryGetProperty("Result", out _), Is.False);
        Assert.That(hidden[2].GetProperty("FunctionName").GetString(), Is.EqualTo("TrainModel"));
        Assert.That(hidden[2].GetProperty("Reason").GetString(), Is.EqualTo("bad"));
        Assert.That(hidden[3].GetProperty("OrchestrationStatus").GetString(), Is.EqualTo("Completed"));
        Assert.That(shown[1].GetProperty("Result").GetProperty("rows").GetInt32(), Is.EqualTo(3));
        Assert.That(shown[3].GetProperty("Result").GetString(), Is.EqualTo("done"));
    }

    private static JsonElement Write(IReadOnlyList<HistoryEvent> history, bool showHistoryOutput)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            DurableHistoryWriter.Write(writer, history, showHistoryOutput);
            writer.WriteEndObject();
        }

        return JsonDocument.Parse(Encoding.UTF8.GetString(buffer.ToArray())).RootElement.GetProperty("historyEvents");
    }
}
