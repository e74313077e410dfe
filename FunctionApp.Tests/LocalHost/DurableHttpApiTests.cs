using System.Net;
using System.Text;
using System.Text.Json;
using ServerlessML.Tests.Infrastructure;

namespace ServerlessML.Tests.LocalHost;

/// <summary>
/// The durable instance API of the local host, over real HTTP, with the Functions host's status codes. A training run
/// on enough rows to take a while is suspended at once, so each test has an instance that is still unfinished.
/// </summary>
public sealed class DurableHttpApiTests
{
    private LocalHostServer _server = null!;

    private HttpClient Client => _server.Client;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await LocalHostServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Status_WhileSuspended_Returns202WithLocationAndRetryAfter()
    {
        var (model, status) = await StartSuspendedRunAsync();

        var poll = await StatusPoll.GetAsync(Client, status);

        Assert.That(poll.Status, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(poll.Location, Is.EqualTo(status));
        Assert.That(poll.RetryAfter, Is.EqualTo("5"));
        Assert.That(poll.Body.EnumerateObject().Select(p => p.Name),
            Is.EqualTo(new[] { "name", "instanceId", "runtimeStatus", "input", "customStatus", "output", "createdTime", "lastUpdatedTime" }));
        Assert.That(poll.RuntimeStatus, Is.EqualTo("Suspended"));
        Assert.That(poll.Body.GetProperty("name").GetString(), Is.EqualTo("TrainingOrchestration"));
        Assert.That(poll.Body.GetProperty("instanceId").GetString(), Is.EqualTo(status.Segments[^1]));
        Assert.That(poll.Body.GetProperty("input").GetProperty("model").GetString(), Is.EqualTo(model));
        Assert.That(poll.Body.GetProperty("createdTime").GetString(), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"));
        // The Azure Storage backend keeps the suspend reason as the output, and the Functions host shows it there too.
        Assert.That(poll.Body.GetProperty("output").GetString(), Is.EqualTo("test"));
    }

    [Test]
    public async Task Status_ShowInputFalse_LeavesTheInputOut()
    {
        var (_, status) = await StartSuspendedRunAsync();

        var poll = await StatusPoll.GetAsync(Client, new Uri(status + "?showInput=false"));

        Assert.That(poll.Body.GetProperty("input").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(poll.Location, Is.EqualTo(new Uri(status + "?showInput=false")));
    }

    [Test]
    public async Task Terminate_Running_Returns202AndTheInstanceEndsTerminatedWithTheReason()
    {
        var status = await StartRunAsync();
        var before = await StatusPoll.GetAsync(Client, status);

        using var terminate = await Client.PostAsync(status + "/terminate?reason=changed%20my%20mind", null);
        var polls = await StatusPoll.UntilAsync(Client, status, "Terminated", "Completed", "Failed");

        Assert.That(before.RuntimeStatus, Is.AnyOf("Pending", "Running"));
        Assert.That(terminate.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(polls[^1].RuntimeStatus, Is.EqualTo("Terminated"));
        Assert.That(polls[^1].Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(polls[^1].Location, Is.Null);
        Assert.That(polls[^1].Body.GetProperty("output").GetString(), Is.EqualTo("changed my mind"));
    }

    [TestCase("terminate")]
    [TestCase("suspend")]
    [TestCase("resume")]
    [TestCase("raiseEvent/approval")]
    public async Task Operation_OnFinishedInstance_Returns410(string operation)
    {
        var status = await StartTerminatedRunAsync();

        using var response = await Client.PostAsync($"{status}/{operation}", Json("true"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Gone));
    }

    [Test]
    public async Task Resume_Suspended_Returns202AndTheRunGoesOn()
    {
        var (_, status) = await StartSuspendedRunAsync();

        using var resume = await Client.PostAsync(status + "/resume?reason=go", null);
        var polls = await StatusPoll.UntilAsync(Client, status, "Running", "Completed");

        Assert.That(resume.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(polls[^1].RuntimeStatus, Is.AnyOf("Running", "Completed"));
    }

    [Test]
    public async Task RaiseEvent_Json_Returns202()
    {
        var (_, status) = await StartSuspendedRunAsync();

        using var response = await Client.PostAsync(status + "/raiseEvent/approval", Json("""{"approved": true}"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
    }

    [TestCase("text/plain", "approved")]
    [TestCase("application/json", "{not json")]
    public async Task RaiseEvent_BodyNotJson_Returns400(string contentType, string body)
    {
        var (_, status) = await StartSuspendedRunAsync();

        using var response = await Client.PostAsync(status + "/raiseEvent/approval", new StringContent(body, Encoding.UTF8, contentType));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task RaiseEvent_OverAMegabyte_Returns413()
    {
        var (_, status) = await StartSuspendedRunAsync();

        using var response = await Client.PostAsync(status + "/raiseEvent/approval", Json($"\"{new string('a', 1024 * 1024)}\""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task Purge_Unfinished_Returns412()
    {
        var (_, status) = await StartSuspendedRunAsync();

        using var response = await Client.DeleteAsync(status);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
    }

    [Test]
    public async Task Purge_Finished_Returns200ThenTheInstanceIsGone()
    {
        var status = await StartTerminatedRunAsync();

        using var purge = await Client.DeleteAsync(status);
        var after = await StatusPoll.GetAsync(Client, status);

        Assert.That(purge.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await purge.Content.ReadAsStringAsync(), Is.EqualTo("""{"instancesDeleted":1}"""));
        Assert.That(after.Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [TestCase("GET", "")]
    [TestCase("DELETE", "")]
    [TestCase("POST", "/terminate")]
    [TestCase("POST", "/suspend")]
    [TestCase("POST", "/resume")]
    [TestCase("POST", "/raiseEvent/approval")]
    public async Task UnknownInstance_Returns404(string method, string operation)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), $"/runtime/webhooks/durabletask/instances/{Guid.NewGuid():N}{operation}")
        {
            Content = method == "POST" ? Json("{}") : null,
        };

        using var response = await Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    // Enough rows that preparing them takes far longer than the request that follows the 202.
    private async Task<Uri> StartRunAsync(string? model = null)
    {
        using var train = await Client.PostAsync(
            $"/api/train?model={model ?? ModelNames.Unique("durable")}", new StringContent(SyntheticData.Csv(20_000, withCity: true), Encoding.UTF8, "text/csv"));
        Assert.That(train.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        return train.Headers.Location!;
    }

    private async Task<(string Model, Uri Status)> StartSuspendedRunAsync()
    {
        var model = ModelNames.Unique("durable");
        var status = await StartRunAsync(model);
        using var suspend = await Client.PostAsync(status + "/suspend?reason=test", null);
        Assert.That(suspend.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var polls = await StatusPoll.UntilAsync(Client, status, "Suspended", "Completed", "Failed");
        Assert.That(polls[^1].RuntimeStatus, Is.EqualTo("Suspended"), "The run finished before it could be suspended.");
        return (model, status);
    }

    private async Task<Uri> StartTerminatedRunAsync()
    {
        var (_, status) = await StartSuspendedRunAsync();
        using var terminate = await Client.PostAsync(status + "/terminate", null);
        Assert.That((await StatusPoll.UntilAsync(Client, status, "Terminated"))[^1].RuntimeStatus, Is.EqualTo("Terminated"));
        return status;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
