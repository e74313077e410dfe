using System.Net;
using System.Text;
using System.Text.Json;
using ServerlessML.Tests.Infrastructure;

namespace ServerlessML.Tests.LocalHost;

/// <summary>
/// The rest of the durable HTTP API over real HTTP, on a task hub of its own: history, the instance list with its
/// filters and continuation header, purge by filter, restart, start by name, and what is not served.
/// </summary>
public sealed class DurableInstancesApiTests
{
    private const string Api = "/runtime/webhooks/durabletask";

    private LocalHostServer _server = null!;
    private Uri _completed = null!;

    private HttpClient Client => _server.Client;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await LocalHostServer.StartAsync();
        _completed = await TrainAsync(ModelNames.Unique("history"));
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Status_ShowHistory_GivesTheRealEventsWithTheirFunctions()
    {
        var poll = await StatusPoll.GetAsync(Client, new Uri(_completed + "?showHistory=true&showHistoryOutput=true"));

        var events = poll.Body.GetProperty("historyEvents").EnumerateArray().ToList();
        Assert.That(events.Select(e => e.GetProperty("EventType").GetString()), Is.EqualTo(new[]
        {
            "ExecutionStarted", "TaskCompleted", "TaskCompleted", "TaskCompleted", "TaskCompleted", "TaskCompleted", "TaskCompleted", "ExecutionCompleted",
        }));
        Assert.That(events.Skip(1).Take(6).Select(e => e.GetProperty("FunctionName").GetString()), Is.EqualTo(new[]
        {
            "PrepareDataset", "TrainModel", "EvaluateModel", "EvaluateChampion", "PublishModel", "CleanupTrainingRun",
        }));
        Assert.That(events[0].GetProperty("FunctionName").GetString(), Is.EqualTo("TrainingOrchestration"));
        Assert.That(events[1].GetProperty("Result").GetProperty("rows").GetProperty("train").GetInt32(), Is.EqualTo(160));
        Assert.That(events[^1].GetProperty("OrchestrationStatus").GetString(), Is.EqualTo("Completed"));
    }

    [Test]
    public async Task Status_WithoutShowHistory_HasNoHistoryEvents()
    {
        var poll = await StatusPoll.GetAsync(Client, _completed);

        Assert.That(poll.Body.TryGetProperty("historyEvents", out _), Is.False);
    }

    [Test]
    public async Task List_FiltersByStatusAndPrefix_AndPagesThroughTheContinuationHeader()
    {
        var prefix = $"list{Guid.NewGuid():N}"[..12];
        for (var i = 0; i < 3; i++)
        {
            await StartByNameAsync($"{prefix}-{i}");
        }

        foreach (var i in Enumerable.Range(0, 3))
        {
            await StatusPoll.UntilAsync(Client, new Uri(Client.BaseAddress!, $"{Api}/instances/{prefix}-{i}"), "Completed", "Failed");
        }

        var pages = new List<JsonElement[]>();
        string? continuation = null;
        do
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{Api}/instances?instanceIdPrefix={prefix}&runtimeStatus=Completed,Failed&top=2&showInput=false");
            if (continuation is not null)
            {
                request.Headers.Add("x-ms-continuation-token", continuation);
            }

            using var response = await Client.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            continuation = response.Headers.GetValues("x-ms-continuation-token").Single();
            pages.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToArray());
        }
        while (continuation.Length > 0 && pages.Count < 10);

        var listed = pages.SelectMany(p => p).ToList();
        Assert.That(listed.Select(i => i.GetProperty("instanceId").GetString()), Is.EquivalentTo(new[] { $"{prefix}-0", $"{prefix}-1", $"{prefix}-2" }));
        Assert.That(listed.Select(i => i.GetProperty("runtimeStatus").GetString()), Has.All.EqualTo("Completed"));
        Assert.That(listed.Select(i => i.GetProperty("input").ValueKind), Has.All.EqualTo(JsonValueKind.Null));
        Assert.That(pages.Max(p => p.Length), Is.LessThanOrEqualTo(2));
        Assert.That(continuation, Is.Empty, "the last page says there is no more");
    }

    [Test]
    public async Task List_NoMatch_IsAnEmptyArray()
    {
        using var response = await Client.GetAsync($"{Api}/instances?instanceIdPrefix=nothing-has-this-prefix");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("[]"));
        Assert.That(response.Headers.GetValues("x-ms-continuation-token").Single(), Is.Empty);
    }

    [TestCase("runtimeStatus=Finished", "runtimeStatus 'Finished' is not a status")]
    [TestCase("createdTimeFrom=yesterday", "createdTimeFrom must be a date")]
    [TestCase("top=0", "top must be a positive whole number")]
    [TestCase("top=5000", "top is at most 1000")]
    [TestCase("showInput=no", "showInput must be true or false")]
    public async Task List_BadFilter_Returns400Problem(string query, string detail)
    {
        using var response = await Client.GetAsync($"{Api}/instances?{query}");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, detail);
    }

    [Test]
    public async Task PurgeByFilter_PurgesOnlyFinishedInstancesInTheRange()
    {
        await using var server = await LocalHostServer.StartAsync();
        var from = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("o");
        var finished = await TrainAsync(ModelNames.Unique("purge"), server.Client);
        var running = await StartSuspendedAsync(server.Client);

        using var refused = await server.Client.DeleteAsync($"{Api}/instances?createdTimeFrom={Uri.EscapeDataString(from)}&runtimeStatus=Suspended");
        using var purged = await server.Client.DeleteAsync($"{Api}/instances?createdTimeFrom={Uri.EscapeDataString(from)}");
        using var again = await server.Client.DeleteAsync($"{Api}/instances?createdTimeFrom={Uri.EscapeDataString(from)}");

        await AssertProblemAsync(refused, HttpStatusCode.BadRequest, "Only finished instances");
        Assert.That(purged.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await purged.Content.ReadAsStringAsync(), Is.EqualTo("""{"instancesDeleted":1}"""));
        Assert.That((await StatusPoll.GetAsync(server.Client, finished)).Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await StatusPoll.GetAsync(server.Client, running)).RuntimeStatus, Is.EqualTo("Suspended"));
        await AssertProblemAsync(again, HttpStatusCode.NotFound, "No finished instance matched");
    }

    [Test]
    public async Task PurgeByFilter_WithoutCreatedTimeFrom_Returns400()
    {
        using var response = await Client.DeleteAsync($"{Api}/instances");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "createdTimeFrom");
    }

    [Test]
    public async Task Restart_Completed_StartsTheSameRunUnderANewIdThatCompletes()
    {
        using var restart = await Client.PostAsync(_completed + "/restart", null);
        var body = await restart.Content.ReadAsStringAsync();
        Assert.That(restart.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), body);
        using var payload = JsonDocument.Parse(body);
        var polls = await StatusPoll.UntilAsync(Client, restart.Headers.Location!, "Completed", "Failed");
        var original = await StatusPoll.GetAsync(Client, _completed);

        Assert.That(restart.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(restart.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(10)));
        Assert.That(payload.RootElement.GetProperty("id").GetString(), Is.Not.EqualTo(_completed.Segments[^1]));
        Assert.That(payload.RootElement.GetProperty("statusQueryGetUri").GetString(), Is.EqualTo(restart.Headers.Location!.ToString()));
        Assert.That(polls[^1].RuntimeStatus, Is.EqualTo("Completed"), polls[^1].Body.ToString());
        Assert.That(polls[^1].Body.GetProperty("input").GetProperty("model").GetString(), Is.EqualTo(original.Body.GetProperty("input").GetProperty("model").GetString()));
    }

    [Test]
    public async Task Restart_RunningUnderTheSameId_Returns409()
    {
        var running = await StartSuspendedAsync(Client);

        using var response = await Client.PostAsync(running + "/restart?restartWithNewInstanceId=false", null);

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "would overwrite it");
    }

    [Test]
    public async Task Rewind_Returns501ProblemPointingToRestart_And404ForAnUnknownInstance()
    {
        using var rewind = await Client.PostAsync(_completed + "/rewind?reason=again", null);
        using var unknown = await Client.PostAsync($"{Api}/instances/{Guid.NewGuid():N}/rewind", null);

        await AssertProblemAsync(rewind, HttpStatusCode.NotImplemented, "Restart it instead");
        await AssertProblemAsync(unknown, HttpStatusCode.NotFound, "There is no orchestration instance");
    }

    [Test]
    public async Task StartByName_ChecksAndStagesLikeTrain_AndRunsToCompletion()
    {
        var id = $"byname-{Guid.NewGuid():N}";

        using var start = await StartByNameAsync(id);
        var polls = await StatusPoll.UntilAsync(Client, start.Headers.Location!, "Completed", "Failed");
        using var again = await StartByNameAsync(id);

        Assert.That(start.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(start.Headers.Location!.Segments[^1], Is.EqualTo(id));
        Assert.That(polls[^1].RuntimeStatus, Is.EqualTo("Completed"), polls[^1].Body.ToString());
        Assert.That(polls[^1].Body.GetProperty("input").GetProperty("datasetBlob").GetString(), Does.EndWith($"/{id}.parquet"));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), "a finished instance's id may be used again, as on the host");
    }

    [TestCase("TrainingOrchestration", "{\"model\": \"x\"}", HttpStatusCode.BadRequest, "neither 'data' nor 'dataset'")]
    [TestCase("TrainingOrchestration/bad%23id", "{\"data\": [[1, 2], [2, 3]]}", HttpStatusCode.BadRequest, "cannot contain")]
    [TestCase("SomethingElse", "{}", HttpStatusCode.NotFound, "no orchestrator function 'SomethingElse'")]
    public async Task StartByName_Refused_AnswersAProblemAndStartsNothing(string route, string body, HttpStatusCode status, string detail)
    {
        using var response = await Client.PostAsync($"{Api}/orchestrators/{route}", new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, status, detail);
    }

    [Test]
    public async Task StartByName_ARunningInstanceId_Returns409()
    {
        var running = await StartSuspendedAsync(Client);

        using var response = await StartByNameAsync(running.Segments[^1]);

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "already exists");
    }

    [TestCase("GET", "/entities/counter/one", HttpStatusCode.NotImplemented, "no durable entities")]
    [TestCase("GET", "/nothing/here", HttpStatusCode.NotFound, "Nothing is served at GET")]
    [TestCase("PUT", "/instances", HttpStatusCode.MethodNotAllowed, "it takes DELETE, GET")]
    [TestCase("GET", "/instances/x/terminate", HttpStatusCode.MethodNotAllowed, "does not take GET")]
    public async Task Unserved_AnswersProblemJson(string method, string path, HttpStatusCode status, string detail)
    {
        using var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), Api + path));

        await AssertProblemAsync(response, status, detail);
    }

    private Task<HttpResponseMessage> StartByNameAsync(string id) =>
        Client.PostAsync(
            $"{Api}/orchestrators/TrainingOrchestration/{id}",
            new StringContent($$"""{"model": "{{ModelNames.Unique("byname")}}", "data": {{Rows(40)}}}""", Encoding.UTF8, "application/json"));

    private async Task<Uri> TrainAsync(string model, HttpClient? client = null)
    {
        client ??= Client;
        using var train = await client.PostAsync($"/api/train?model={model}", new StringContent(SyntheticData.Csv(200), Encoding.UTF8, "text/csv"));
        Assert.That(train.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var polls = await StatusPoll.UntilAsync(client, train.Headers.Location!, "Completed", "Failed");
        Assert.That(polls[^1].RuntimeStatus, Is.EqualTo("Completed"), polls[^1].Body.ToString());
        return train.Headers.Location!;
    }

    // A run big enough to still be preparing when the suspend arrives.
    private static async Task<Uri> StartSuspendedAsync(HttpClient client)
    {
        using var train = await client.PostAsync($"/api/train?model={ModelNames.Unique("held")}", new StringContent(SyntheticData.Csv(20_000), Encoding.UTF8, "text/csv"));
        using var suspend = await client.PostAsync(train.Headers.Location + "/suspend?reason=test", null);
        var polls = await StatusPoll.UntilAsync(client, train.Headers.Location!, "Suspended", "Completed", "Failed");
        Assert.That(polls[^1].RuntimeStatus, Is.EqualTo("Suspended"), "The run finished before it could be suspended.");
        return train.Headers.Location!;
    }

    private static string Rows(int count) =>
        "[" + string.Join(", ", Enumerable.Range(0, count).Select(i => $"[{i}, {i % 7}, {(3 * i) - (2 * (i % 7)) + 5}]")) + "]";

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString(), Does.Contain(detail));
    }
}
