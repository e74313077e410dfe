using System.Net;
using System.Text;
using System.Text.Json;
using ServerlessML.Tests.Infrastructure;

namespace ServerlessML.Tests.LocalHost;

/// <summary>The local host over real HTTP, as a client of the Functions host would use it: train, follow Location, predict.</summary>
public sealed class LocalHostEndToEndTests
{
    private LocalHostServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await LocalHostServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Train_FollowLocationUntilCompleted_ThenPredict_PredictsCloseToTheTruth_AndTheRunCannotBeTerminated()
    {
        var model = ModelNames.Unique("local");

        using var train = await _server.Client.PostAsync($"/api/train?model={model}", new StringContent(SyntheticData.Csv(1000, withCity: true), Encoding.UTF8, "text/csv"));
        var polls = await StatusPoll.UntilAsync(_server.Client, train.Headers.Location!, "Completed", "Failed", "Terminated");
        using var predict = await _server.Client.PostAsync("/api/predict", new StringContent(
            $$"""{"model": "{{model}}", "instances": [{"x1": 1.5, "x2": -0.5, "city": "Oslo"}, {"x1": -2, "x2": 1, "city": "Bergen"}]}""", Encoding.UTF8, "application/json"));
        using var prediction = JsonDocument.Parse(await predict.Content.ReadAsStringAsync());
        using var terminate = await _server.Client.PostAsync($"{train.Headers.Location}/terminate?reason=late", null);

        var final = polls[^1];
        var running = polls.Take(polls.Count - 1).ToList();
        Assert.That(train.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(final.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(final.RuntimeStatus, Is.EqualTo("Completed"), final.Body.ToString());
        Assert.That(final.Location, Is.Null);
        Assert.That(final.Body.GetProperty("customStatus").GetProperty("phase").GetString(), Is.EqualTo("completed"));
        Assert.That(final.Body.GetProperty("output").GetProperty("version").GetInt32(), Is.EqualTo(1));
        Assert.That(final.Body.GetProperty("output").GetProperty("metrics").GetProperty("rSquared").GetDouble(), Is.GreaterThan(0.99));
        Assert.That(running.Select(p => (p.Status, p.Location, p.RetryAfter)), Has.All.EqualTo((HttpStatusCode.Accepted, train.Headers.Location, "5")));
        Assert.That(running.Select(p => p.RuntimeStatus), Has.All.AnyOf("Pending", "Running"));
        Assert.That(terminate.StatusCode, Is.EqualTo(HttpStatusCode.Gone));
        Assert.That(predict.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(prediction.RootElement.GetProperty("predictions")[0].GetDouble(), Is.EqualTo(SyntheticData.Truth(1.5, -0.5, "Oslo")).Within(0.1));
        Assert.That(prediction.RootElement.GetProperty("predictions")[1].GetDouble(), Is.EqualTo(SyntheticData.Truth(-2, 1, "Bergen")).Within(0.1));
    }

    [Test]
    public async Task Train_BadRequest_AnswersTheFunctionsProblem()
    {
        using var response = await _server.Client.PostAsync("/api/train?model=Not_Valid", new StringContent(SyntheticData.Csv(100), Encoding.UTF8, "text/csv"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("'Not_Valid' is not a valid model name"));
    }

    [Test]
    public async Task UnexpectedException_Returns500ProblemWithACorrelationId()
    {
        // Azurite refuses a wrong account key at once (403), an error no function turns into a problem of its own.
        var wrongKey = TestEnvironment.Azurite.ConnectionString.Replace("AccountKey=", "AccountKey=AAAA", StringComparison.Ordinal);
        await using var server = await LocalHostServer.StartAsync(new Dictionary<string, string?> { ["Storage:ConnectionString"] = wrongKey });

        using var response = await server.Client.PostAsync("/api/predict", new StringContent("""{"model": "any", "rows": [[1]]}""", Encoding.UTF8, "application/json"));
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var correlationId = problem.RootElement.GetProperty("correlationId").GetString();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(correlationId, Is.Not.Empty);
        Assert.That(problem.RootElement.GetProperty("detail").GetString(), Does.Contain(correlationId));
    }

    [Test]
    public async Task Train_WrongMethod_Returns405()
    {
        using var response = await _server.Client.GetAsync("/api/train");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
    }
}
