using Microsoft.Extensions.DependencyInjection;
using ServerlessML.Http;
using ServerlessML.Tests.Infrastructure;

namespace ServerlessML.Tests.Http;

public sealed class PredictFunctionTests
{
    private WorkflowHost _host = null!;
    private string _model = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _host = await WorkflowHost.StartAsync();
        _model = ModelNames.Unique("predict");
        await _host.TrainAsync(_model, SyntheticData.Csv(2000, withCity: true));
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public async Task Predict_Instances_ReturnsPredictionsFromProduction()
    {
        var response = await PredictAsync($$"""{"model": "{{_model}}", "instances": [{"x1": 1, "x2": 2, "city": "Oslo"}, {"city": "Bergen", "x2": 0, "x1": -3}]}""");

        var predictions = response.Json.GetProperty("predictions").EnumerateArray().Select(p => p.GetDouble()).ToArray();
        Assert.That(response.Status, Is.EqualTo(200), response.Body);
        Assert.That(response.Json.GetProperty("model").GetString(), Is.EqualTo(_model));
        Assert.That(response.Json.GetProperty("version").GetInt32(), Is.EqualTo(1));
        Assert.That(predictions[0], Is.EqualTo(SyntheticData.Truth(1, 2, "Oslo")).Within(0.1));
        Assert.That(predictions[1], Is.EqualTo(SyntheticData.Truth(-3, 0, "Bergen")).Within(0.1));
    }

    [Test]
    public async Task Predict_Rows_MatchesInstances()
    {
        var rows = await PredictAsync($$"""{"model": "{{_model}}", "version": 1, "rows": [[1, 2, "Oslo"]]}""");
        var instances = await PredictAsync($$"""{"model": "{{_model}}", "instances": [{"x1": 1, "x2": 2, "city": "Oslo"}]}""");

        Assert.That(rows.Status, Is.EqualTo(200), rows.Body);
        Assert.That(rows.Json.GetProperty("predictions")[0].GetDouble(), Is.EqualTo(instances.Json.GetProperty("predictions")[0].GetDouble()));
    }

    [Test]
    public async Task Predict_NullFeatureAndUnseenCategory_AreAccepted()
    {
        var response = await PredictAsync($$"""{"model": "{{_model}}", "instances": [{"x1": null, "x2": 1, "city": "Reykjavík"}, {"x1": 1, "x2": 1, "city": null}]}""");

        Assert.That(response.Status, Is.EqualTo(200), response.Body);
        Assert.That(response.Json.GetProperty("predictions").EnumerateArray().Select(p => p.GetDouble()), Has.All.Matches<double>(double.IsFinite));
    }

    [Test]
    public async Task Predict_ValueOutsideTrainingRangeAndUnseenCategory_AnswersWithWarnings()
    {
        var response = await PredictAsync($$"""{"model": "{{_model}}", "instances": [{"x1": 1, "x2": 0, "city": "Oslo"}, {"x1": 50, "x2": 0, "city": "Reykjavík"}]}""");

        var warnings = response.Json.GetProperty("warnings").EnumerateArray()
            .Select(w => (Instance: w.GetProperty("instance").GetInt32(), Feature: w.GetProperty("feature").GetString(), Message: w.GetProperty("message").GetString()!))
            .ToArray();
        Assert.That(response.Status, Is.EqualTo(200), response.Body);
        Assert.That(response.Json.GetProperty("predictions").GetArrayLength(), Is.EqualTo(2));
        Assert.That(warnings.Select(w => (w.Instance, w.Feature)), Is.EqualTo(new[] { (1, "x1"), (1, "city") }));
        Assert.That(warnings[0].Message, Does.StartWith("50 is above the training range"));
        Assert.That(warnings[1].Message, Does.StartWith("'Reykjavík' was never seen in training"));
        Assert.That(response.Body, Does.Contain("'Reykjavík' was never seen"), "the text as written, not \\u-escaped");
    }

    [Test]
    public async Task Predict_ExplainTrue_AnswersEachInstancesContributionsByFeature()
    {
        var response = await PredictAsync($$"""{"model": "{{_model}}", "instances": [{"x1": 4, "x2": 0, "city": "Oslo"}, {"x1": -4, "x2": 0, "city": "Bergen"}]}""", query: "?explain=true");

        var explanations = response.Json.GetProperty("explanations").EnumerateArray()
            .Select(e => e.GetProperty("contributions").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble()))
            .ToArray();
        Assert.That(response.Status, Is.EqualTo(200), response.Body);
        Assert.That(explanations, Has.Length.EqualTo(2));
        Assert.That(explanations[0].Keys, Is.EqualTo(new[] { "x1", "x2", "city" }));
        Assert.That(explanations[0]["x1"], Is.GreaterThan(5), "3·x1 at 4 is well above its mean");
        Assert.That(explanations[1]["x1"], Is.LessThan(-5));
        Assert.That(explanations[0]["city"], Is.GreaterThan(explanations[1]["city"]), "Oslo adds 4, Bergen takes 1");
    }

    [Test]
    public async Task Predict_WithoutExplain_AnswersWithoutExplanations()
    {
        var response = await PredictAsync($$"""{"model": "{{_model}}", "instances": [{"x1": 1, "x2": 0, "city": "Oslo"}]}""", query: "?explain=false");

        Assert.That(response.Status, Is.EqualTo(200), response.Body);
        Assert.That(response.Json.TryGetProperty("explanations", out _), Is.False);
    }

    [TestCase("?explain=yes", "Query parameter 'explain' must be true or false; got 'yes'.")]
    [TestCase("?explian=true", "did you mean 'explain'?")]
    public async Task Predict_BadExplain_Answers400(string query, string detail)
    {
        var response = await PredictAsync($$"""{"model": "{{_model}}", "instances": [{"x1": 1, "x2": 0, "city": "Oslo"}]}""", query: query);

        Assert.That(response.Status, Is.EqualTo(400), response.Body);
        Assert.That(response.Json.GetProperty("detail").GetString(), Does.Contain(detail));
    }

    [Test]
    public async Task Predict_ValuesSeenInTraining_AnswersWithoutWarnings()
    {
        var response = await PredictAsync($$"""{"model": "{{_model}}", "instances": [{"x1": 1, "x2": null, "city": null}]}""");

        Assert.That(response.Status, Is.EqualTo(200), response.Body);
        Assert.That(response.Json.TryGetProperty("warnings", out _), Is.False, response.Body);
    }

    [TestCase("""{"model": "MODEL", "instances": [{"x1": 1, "x2": 2, "city": "Oslo"}]}""", 404, "has no version 9")]
    [TestCase("""{"model": "MODEL", "instances": [{"x1": 1, "city": "Oslo"}]}""", 400, "instances[0] has no 'x2'")]
    [TestCase("""{"model": "MODEL", "instances": [{"x1": 1, "x2": 2, "city": "Oslo", "x9": 4}]}""", 400, "instances[0] has 'x9', which is not a feature")]
    [TestCase("""{"model": "MODEL", "instances": [{"x1": 1, "x2": 2, "city": "Oslo", "y": 4}]}""", 400, "'y', the label")]
    [TestCase("""{"model": "MODEL", "instances": [{"x1": "one", "x2": 2, "city": "Oslo"}]}""", 400, "instances[0].x1 must be a number or null, not the string \"one\"")]
    [TestCase("""{"model": "MODEL", "instances": [{"x1": 1, "x2": 2, "city": true}]}""", 400, "instances[0].city must be a string or null")]
    [TestCase("""{"model": "MODEL", "rows": [[1, 2]]}""", 400, "rows[0] must be an array of 3 values")]
    [TestCase("""{"model": "MODEL", "rows": [[1, 2, "Oslo", 4]]}""", 400, "rows[0] must be an array of 3 values")]
    [TestCase("""{"model": "MODEL", "rows": [[1, "two", "Oslo"]]}""", 400, "rows[0][1] ('x2') must be a number or null, not the string \"two\"")]
    [TestCase("""{"model": "MODEL", "instances": [{"x1": 1, "x1": 2, "city": "Oslo"}]}""", 400, "instances[0] names 'x1' more than once")]
    [TestCase("""{"instances": [{"x1": 1e39, "x2": 2, "city": "Oslo"}], "model": "MODEL"}""", 400, "instances[0].x1 is 1e39, out of range")]
    [TestCase("""{"model": "MODEL"}""", 400, "Send either 'instances'")]
    [TestCase("""{"model": "MODEL", "instances": [{"x1": 1, "x2": 2, "city": "Oslo"}], "rows": [[1, 2, "Oslo"]]}""", 400, "not both or neither")]
    [TestCase("""{"model": "MODEL", "instances": []}""", 400, "Send between 1 and")]
    [TestCase("""{"model": "MODEL", "instances": [{"x1": 1, "x2": 2, "city": "Oslo"}], "extra": 1}""", 400, "'extra', which is not understood")]
    [TestCase("""{"model": "MODEL", "version": 0, "instances": [{}]}""", 400, "'version' must be a version number such as 3 or an alias")]
    [TestCase("""{"model": "MODEL", "instances": [""", 400, "The body is not valid JSON")]
    public async Task Predict_BadRequest_AnswersProblemNamingWhatToFix(string body, int status, string detail)
    {
        var json = body.Replace("MODEL", _model, StringComparison.Ordinal);
        if (status == 404)
        {
            json = json.Replace("\"instances\"", "\"version\": 9, \"instances\"", StringComparison.Ordinal);
        }

        var response = await PredictAsync(json);

        Assert.That(response.Status, Is.EqualTo(status), response.Body);
        Assert.That(response.ContentType, Does.StartWith("application/problem+json"));
        Assert.That(response.Json.GetProperty("detail").GetString(), Does.Contain(detail));
    }

    [TestCase("""{"instances": [{"x1": 1, "x2": 2, "city": "Oslo"}], "model": "MODEL"}""", 1)]
    [TestCase("""{"model": "MODEL", "instances": [{"x1": 1, "x2": 2, "city": "Oslo"}], "version": 1}""", 1)]
    [TestCase("""{"rows": [[1, 2, "Oslo"]], "version": 1, "model": "MODEL"}""", 1)]
    public async Task Predict_ModelNamedAfterTheValues_IsStillTheOneUsed(string body, int version)
    {
        var response = await PredictAsync(body.Replace("MODEL", _model, StringComparison.Ordinal));

        Assert.That(response.Status, Is.EqualTo(200), response.Body);
        Assert.That(response.Json.GetProperty("model").GetString(), Is.EqualTo(_model));
        Assert.That(response.Json.GetProperty("version").GetInt32(), Is.EqualTo(version));
        Assert.That(response.Json.GetProperty("predictions")[0].GetDouble(), Is.EqualTo(SyntheticData.Truth(1, 2, "Oslo")).Within(0.1));
    }

    [Test]
    public async Task Predict_UnknownModel_Returns404()
    {
        var response = await PredictAsync("""{"model": "no-such-model", "instances": [{"x1": 1}]}""");

        Assert.That(response.Status, Is.EqualTo(404));
        Assert.That(response.Json.GetProperty("detail").GetString(), Does.Contain("Model 'no-such-model' has no production version"));
    }

    [Test]
    public async Task Predict_NotJson_Returns415()
    {
        var response = await PredictAsync("x1=1", "text/plain");

        Assert.That(response.Status, Is.EqualTo(415));
    }

    private async Task<HttpExchange> PredictAsync(string body, string contentType = "application/json", string query = "")
    {
        var exchange = new HttpExchange("/api/predict", contentType, body, query);
        return await Functions.CallAsync<PredictFunction>(_host.Services, exchange, f => f.RunAsync(exchange.Request, CancellationToken.None));
    }
}
