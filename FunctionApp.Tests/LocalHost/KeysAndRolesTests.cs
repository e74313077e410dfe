using System.Net;
using System.Text;
using System.Text.Json;
using ServerlessML.Tests.Infrastructure;

namespace ServerlessML.Tests.LocalHost;

/// <summary>
/// The role matrix, over real HTTP on the local host with keys set: each key against each route. A function key
/// predicts and reads and can change nothing; the master key does everything; the durable task key reaches the durable
/// API only; no key, or a wrong one, gets 401 wherever a key is needed.
/// </summary>
public sealed class KeysAndRolesTests
{
    private const string Master = "master-key-0123456789abcdef";
    private const string Predict = "predict-key-0123456789abcdef";
    private const string Durable = "durable-key-0123456789abcdef";

    private LocalHostServer _server = null!;
    private string _model = null!;
    private Uri _run = null!;

    public enum Key
    {
        None,
        Wrong,
        Function,
        DurableTask,
        Master,
    }

    private HttpClient Client => _server.Client;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await LocalHostServer.StartAsync(new Dictionary<string, string?>
        {
            ["LocalHost:Keys:Master"] = Master,
            ["LocalHost:Keys:Function:predict-client"] = Predict,
            ["LocalHost:Keys:DurableTask"] = Durable,
        });
        _model = ModelNames.Unique("roles");
        using var train = await SendAsync(HttpMethod.Post, $"/api/train?model={_model}&wait=60", Key.Master, Csv());
        Assert.That(train.StatusCode, Is.EqualTo(HttpStatusCode.OK), await train.Content.ReadAsStringAsync());
        using var started = await SendAsync(HttpMethod.Post, $"/api/train?model={_model}", Key.Master, Csv());
        _run = started.Headers.Location!;
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    // Routes that change nothing: any function key, and the master key.
    [TestCase("POST", "/api/predict", Key.Function, true)]
    [TestCase("POST", "/api/predict", Key.Master, true)]
    [TestCase("POST", "/api/predict", Key.DurableTask, false)]
    [TestCase("POST", "/api/predict", Key.None, false)]
    [TestCase("POST", "/api/predict", Key.Wrong, false)]
    [TestCase("GET", "/api/models", Key.Function, true)]
    [TestCase("GET", "/api/models", Key.None, false)]
    [TestCase("GET", "/api/models/{model}", Key.Function, true)]
    [TestCase("GET", "/api/models/{model}/versions/1", Key.Function, true)]
    [TestCase("GET", "/api/models/{model}/versions/1/model.zip", Key.Function, true)]
    [TestCase("GET", "/api/models/{model}/aliases/production", Key.Function, true)]
    [TestCase("GET", "/api/datasets", Key.Function, true)]
    [TestCase("GET", "/api/datasets/none", Key.Function, true)]
    // Training and every registry write: the master key only.
    [TestCase("POST", "/api/train", Key.Master, true)]
    [TestCase("POST", "/api/train", Key.Function, false)]
    [TestCase("POST", "/api/train", Key.DurableTask, false)]
    [TestCase("POST", "/api/train", Key.None, false)]
    [TestCase("PUT", "/api/datasets/{model}", Key.Master, true)]
    [TestCase("PUT", "/api/datasets/{model}", Key.Function, false)]
    [TestCase("DELETE", "/api/datasets/none", Key.Master, true)]
    [TestCase("DELETE", "/api/datasets/none", Key.Function, false)]
    [TestCase("PUT", "/api/models/{model}/aliases/production", Key.Master, true)]
    [TestCase("PUT", "/api/models/{model}/aliases/production", Key.Function, false)]
    [TestCase("PUT", "/api/models/{model}/aliases/production", Key.Wrong, false)]
    [TestCase("DELETE", "/api/models/{model}/versions/99", Key.Master, true)]
    [TestCase("DELETE", "/api/models/{model}/versions/99", Key.Function, false)]
    // The durable API: the durable task key or the master key.
    [TestCase("GET", "{run}", Key.DurableTask, true)]
    [TestCase("GET", "{run}", Key.Master, true)]
    [TestCase("GET", "{run}", Key.Function, false)]
    [TestCase("GET", "{run}", Key.None, false)]
    [TestCase("GET", "/runtime/webhooks/durabletask/instances", Key.DurableTask, true)]
    [TestCase("GET", "/runtime/webhooks/durabletask/instances", Key.Function, false)]
    [TestCase("POST", "{run}/terminate", Key.Function, false)]
    [TestCase("POST", "{run}/terminate", Key.None, false)]
    [TestCase("DELETE", "{run}", Key.Function, false)]
    [TestCase("POST", "/runtime/webhooks/durabletask/orchestrators/TrainingOrchestration", Key.Function, false)]
    public async Task Route_AnswersByTheKeyItCarries(string method, string route, Key key, bool allowed)
    {
        var path = route.Replace("{model}", _model, StringComparison.Ordinal).Replace("{run}", _run.AbsolutePath, StringComparison.Ordinal);
        using var content = Body(method, path);

        using var response = await SendAsync(new HttpMethod(method), path, key, content);

        var body = await response.Content.ReadAsStringAsync();
        if (allowed)
        {
            Assert.That(response.StatusCode, Is.Not.EqualTo(HttpStatusCode.Unauthorized), body);
            Assert.That((int)response.StatusCode, Is.LessThan(500), body);
        }
        else
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), body);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString(), Does.Contain("x-functions-key"));
        }
    }

    [Test]
    public async Task Key_AsCodeInTheQueryString_IsTakenToo()
    {
        using var response = await Client.GetAsync($"/api/models?code={Predict}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task ManagementLinks_CarryTheDurableTaskKey_AndWorkAsGiven()
    {
        using var started = await SendAsync(HttpMethod.Post, $"/api/train?model={_model}", Key.Master, Csv());
        using var payload = JsonDocument.Parse(await started.Content.ReadAsStringAsync());
        var status = new Uri(payload.RootElement.GetProperty("statusQueryGetUri").GetString()!);

        using var poll = await Client.GetAsync(status);

        Assert.That(status.Query, Is.EqualTo($"?code={Durable}"));
        Assert.That(payload.RootElement.GetProperty("terminatePostUri").GetString(), Does.EndWith($"/terminate?reason={{text}}&code={Durable}"));
        Assert.That(poll.StatusCode, Is.AnyOf(HttpStatusCode.OK, HttpStatusCode.Accepted));
    }

    [Test]
    public async Task AliasMove_IsAuditedUnderTheKeysName()
    {
        using var move = await SendAsync(HttpMethod.Put, $"/api/models/{_model}/aliases/canary", Key.Master, new StringContent("""{"version": 1}""", Encoding.UTF8, "application/json"));
        using var details = await SendAsync(HttpMethod.Get, $"/api/models/{_model}", Key.Function, null);
        using var json = JsonDocument.Parse(await details.Content.ReadAsStringAsync());

        var last = json.RootElement.GetProperty("history").EnumerateArray().Last();
        Assert.That(move.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(last.GetProperty("alias").GetString(), Is.EqualTo("canary"));
        Assert.That(last.GetProperty("by").GetString(), Is.EqualTo("key:master"));
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, Key key, HttpContent? content)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        var value = key switch
        {
            Key.Function => Predict,
            Key.DurableTask => Durable,
            Key.Master => Master,
            Key.Wrong => "not-a-key-of-this-app-000000",
            _ => null,
        };
        if (value is not null)
        {
            request.Headers.Add("x-functions-key", value);
        }

        return await Client.SendAsync(request);
    }

    private StringContent? Body(string method, string path) => (method, path) switch
    {
        ("POST", "/api/predict") => new StringContent($$"""{"model": "{{_model}}", "instances": [{"x1": 1, "x2": 2}]}""", Encoding.UTF8, "application/json"),
        ("POST", "/api/train") => Csv(),
        ("PUT", _) when path.Contains("/datasets/", StringComparison.Ordinal) => Csv(),
        ("PUT", _) => new StringContent("""{"version": 1}""", Encoding.UTF8, "application/json"),
        ("POST", _) when path.Contains("/orchestrators/", StringComparison.Ordinal) => new StringContent("""{"data": [[1, 2], [2, 3]]}""", Encoding.UTF8, "application/json"),
        _ => null,
    };

    private static StringContent Csv() => new(SyntheticData.Csv(200), Encoding.UTF8, "text/csv");
}
