using System.Text;
using System.Text.Json;
using Json.Schema;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using ServerlessML.Health;
using ServerlessML.Http;
using ServerlessML.OpenApi;
using ServerlessML.Tests.Infrastructure;

namespace ServerlessML.Tests.Contract;

/// <summary>
/// The OpenAPI document read as OpenAPI tools read it, and the real answers of the functions (on Azurite and the
/// in-process durable backend) checked against the schemas it gives for their operation, status and media type.
/// </summary>
public sealed class OpenApiAnswersTests
{
    private static readonly string s_text = Encoding.UTF8.GetString(OpenApiFunction.Document.Span);

    private WorkflowHost _host = null!;
    private string _model = null!;
    private string _dataset = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _host = await WorkflowHost.StartAsync();
        _model = ModelNames.Unique("documented");
        _dataset = ModelNames.Unique("documented-data");
        var trained = await CallAsync<TrainFunction>(new HttpExchange("/api/train", "text/csv", SyntheticData.Csv(300, withCity: true), $"?model={_model}&wait=60"), (f, e) => f.RunAsync(e.Request, _host.Client, CancellationToken.None));
        Assert.That(trained.Status, Is.EqualTo(200), trained.Body);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public void Document_ReadsAsOpenApi31_WithoutErrorsOrWarnings()
    {
        var result = OpenApiDocument.Parse(s_text, "json");

        var rules = result.Document!.Validate(ValidationRuleSet.GetDefaultRuleSet())!;

        Assert.That(result.Diagnostic!.SpecificationVersion, Is.EqualTo(OpenApiSpecVersion.OpenApi3_1));
        Assert.That(result.Diagnostic.Errors.Select(e => $"{e.Pointer}: {e.Message}"), Is.Empty);
        Assert.That(result.Diagnostic.Warnings.Select(e => $"{e.Pointer}: {e.Message}"), Is.Empty);
        Assert.That(rules.Select(e => $"{e.Pointer}: {e.Message}"), Is.Empty);
    }

    [Test]
    public async Task TrainAnswers_MatchTheDocument()
    {
        Matches("Train", await CallAsync<TrainFunction>(new HttpExchange("/api/train", "text/csv", SyntheticData.Csv(100), $"?model={ModelNames.Unique("documented-202")}"), (f, e) => f.RunAsync(e.Request, _host.Client, CancellationToken.None)), 202);
        Matches("Train", await CallAsync<TrainFunction>(new HttpExchange("/api/train", "text/csv", SyntheticData.Csv(300), $"?model={ModelNames.Unique("documented-200")}&wait=60"), (f, e) => f.RunAsync(e.Request, _host.Client, CancellationToken.None)), 200);
        Matches("Train", await CallAsync<TrainFunction>(new HttpExchange("/api/train", "text/csv", "x,y\n1,2\n", "?lable=y"), (f, e) => f.RunAsync(e.Request, _host.Client, CancellationToken.None)), 400);
        Matches("Train", await CallAsync<TrainFunction>(new HttpExchange("/api/train", "text/plain", "x,y\n1,2\n"), (f, e) => f.RunAsync(e.Request, _host.Client, CancellationToken.None)), 415);
    }

    [Test]
    public async Task PredictAnswers_MatchTheDocument()
    {
        Matches("Predict", await PredictAsync($$"""{"model": "{{_model}}", "instances": [{"x1": 1, "x2": 2, "city": "Oslo"}]}"""), 200);
        Matches("Predict", await PredictAsync($$"""{"model": "{{_model}}", "version": "latest", "rows": [[1, 2, null]]}"""), 200);
        Matches("Predict", await PredictAsync("""{"model": "no-such-model", "rows": [[1]]}"""), 404);
        Matches("Predict", await PredictAsync($$"""{"model": "{{_model}}", "instances": [{"x1": "one"}]}"""), 400);
        var explained = await PredictAsync($$"""{"model": "{{_model}}", "instances": [{"x1": 1000, "x2": 0, "city": "Paris"}]}""", "?explain=true");
        Matches("Predict", explained, 200);
        Assert.That(explained.Json.GetProperty("explanations").GetArrayLength(), Is.EqualTo(1));
        Assert.That(explained.Json.GetProperty("warnings").GetArrayLength(), Is.EqualTo(2));
    }

    [Test]
    public async Task CrossValidatedRun_AndItsManifest_MatchTheDocument()
    {
        var model = ModelNames.Unique("documented-folds");
        Matches("Train", await CallAsync<TrainFunction>(new HttpExchange("/api/train", "text/csv", SyntheticData.Csv(300), $"?model={model}&folds=2&wait=60"), (f, e) => f.RunAsync(e.Request, _host.Client, CancellationToken.None)), 200);

        var version = await CallAsync<ModelFunctions>(HttpExchange.Get($"/api/models/{model}/versions/1"), (f, e) => f.GetVersionAsync(e.Request, model, "1", CancellationToken.None));

        Matches("GetModelVersion", version, 200);
        Assert.That(version.Json.GetProperty("crossValidation").GetProperty("folds").GetInt32(), Is.EqualTo(2));
        var onnx = await CallAsync<ModelFunctions>(HttpExchange.Get($"/api/models/{model}/versions/1/model.onnx"), (f, e) => f.ExportOnnxAsync(e.Request, model, "1", CancellationToken.None));
        Assert.That(onnx.Status, Is.EqualTo(200));
        Assert.That(Schema("ExportOnnx", 200, onnx.ContentType!), Is.Not.Null);
    }

    [Test]
    public async Task ModelAnswers_MatchTheDocument()
    {
        Matches("ListModels", await CallAsync<ModelFunctions>(HttpExchange.Get("/api/models"), (f, e) => f.ListAsync(e.Request, CancellationToken.None)), 200);
        Matches("GetModel", await CallAsync<ModelFunctions>(HttpExchange.Get($"/api/models/{_model}"), (f, e) => f.GetAsync(e.Request, _model, CancellationToken.None)), 200);
        Matches("GetModel", await CallAsync<ModelFunctions>(HttpExchange.Get("/api/models/nothing-here"), (f, e) => f.GetAsync(e.Request, "nothing-here", CancellationToken.None)), 404);
        Matches("GetModelVersion", await CallAsync<ModelFunctions>(HttpExchange.Get($"/api/models/{_model}/versions/1"), (f, e) => f.GetVersionAsync(e.Request, _model, "1", CancellationToken.None)), 200);
        Matches("GetTestPredictions", await CallAsync<ModelFunctions>(HttpExchange.Get($"/api/models/{_model}/versions/1/test-predictions"), (f, e) => f.GetTestPredictionsAsync(e.Request, _model, "1", CancellationToken.None)), 200);
        Matches("GetAlias", await CallAsync<ModelFunctions>(HttpExchange.Get($"/api/models/{_model}/aliases/production"), (f, e) => f.GetAliasAsync(e.Request, _model, "production", CancellationToken.None)), 200);
        var move = new HttpExchange($"/api/models/{_model}/aliases/stable", "application/json", """{"version": 1}""", method: "PUT");
        Matches("SetAlias", await CallAsync<ModelFunctions>(move, (f, e) => f.SetAliasAsync(e.Request, _model, "stable", CancellationToken.None)), 200);
        var stale = new HttpExchange($"/api/models/{_model}/aliases/stable", "application/json", """{"version": 1}""", method: "PUT");
        stale.Request.Headers.IfMatch = "\"0x0\"";
        Matches("SetAlias", await CallAsync<ModelFunctions>(stale, (f, e) => f.SetAliasAsync(e.Request, _model, "stable", CancellationToken.None)), 412);
        Matches("DeleteModelVersion", await CallAsync<ModelFunctions>(HttpExchange.Delete($"/api/models/{_model}/versions/1"), (f, e) => f.DeleteVersionAsync(e.Request, _model, "1", CancellationToken.None)), 409);
    }

    [Test]
    public async Task DatasetAnswers_MatchTheDocument()
    {
        var put = new HttpExchange($"/api/datasets/{_dataset}", "text/csv", SyntheticData.Csv(50, withCity: true), method: "PUT");
        Matches("PutDataset", await CallAsync<DatasetFunctions>(put, (f, e) => f.PutAsync(e.Request, _dataset, CancellationToken.None)), 201);
        var again = new HttpExchange($"/api/datasets/{_dataset}", "text/csv", SyntheticData.Csv(50), method: "PUT");
        Matches("PutDataset", await CallAsync<DatasetFunctions>(again, (f, e) => f.PutAsync(e.Request, _dataset, CancellationToken.None)), 409);
        var parquetName = ModelNames.Unique("documented-parquet");
        var parquet = new HttpExchange($"/api/datasets/{parquetName}", "application/vnd.apache.parquet", new MemoryStream(await ParquetFiles.HousesAsync()), method: "PUT");
        var parquetAnswer = await CallAsync<DatasetFunctions>(parquet, (f, e) => f.PutAsync(e.Request, parquetName, CancellationToken.None));
        Matches("PutDataset", parquetAnswer, 201);
        Assert.That(parquetAnswer.Json.GetProperty("format").GetString(), Is.EqualTo("parquet"));
        Matches("ListDatasets", await CallAsync<DatasetFunctions>(HttpExchange.Get("/api/datasets"), (f, e) => f.ListAsync(e.Request, CancellationToken.None)), 200);
        Matches("GetDataset", await CallAsync<DatasetFunctions>(HttpExchange.Get($"/api/datasets/{_dataset}"), (f, e) => f.GetAsync(e.Request, _dataset, CancellationToken.None)), 200);
    }

    [Test]
    public async Task HealthAnswer_MatchesTheDocument()
    {
        Matches("Health", await CallAsync<HealthFunction>(HttpExchange.Get("/api/health"), (f, e) => f.RunAsync(e.Request, _host.Client, CancellationToken.None)), 200);
    }

    [Test]
    public void SampleRequests_JsonBodies_MatchTheirOperationsRequestSchema()
    {
        var requests = SampleRequests().Where(r => r.ContentType == "application/json").ToList();

        Assert.That(requests, Is.Not.Empty);
        foreach (var (method, path, contentType, body) in requests)
        {
            var operationId = OperationId(method, path);
            var result = RequestSchema(operationId, contentType!).Evaluate(JsonDocument.Parse(body).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

            Assert.That(result.IsValid, $"{method} {path}: the body does not match {operationId}'s request schema:\n{body}");
        }
    }

    private Task<HttpExchange> PredictAsync(string body, string query = "") =>
        CallAsync<PredictFunction>(new HttpExchange("/api/predict", "application/json", body, query), (f, e) => f.RunAsync(e.Request, CancellationToken.None));

    private Task<HttpExchange> CallAsync<TFunction>(HttpExchange exchange, Func<TFunction, HttpExchange, Task<Microsoft.AspNetCore.Mvc.IActionResult>> call)
        where TFunction : class =>
        Functions.CallAsync<TFunction>(_host.Services, exchange, f => call(f, exchange));

    // The answer has the status expected, a status the operation documents, and a body its schema for that media type accepts.
    private static void Matches(string operationId, HttpExchange answer, int status)
    {
        Assert.That(answer.Status, Is.EqualTo(status), $"{operationId}: {answer.Body}");
        var mediaType = answer.ContentType!.Split(';')[0].Trim();
        var schema = Schema(operationId, status, mediaType);

        var result = schema.Evaluate(answer.Json, new EvaluationOptions { OutputFormat = OutputFormat.List });

        var errors = (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key} {e.Value}"));
        Assert.That(result.IsValid, $"{operationId} {status} {mediaType} does not match its documented schema: {string.Join("; ", errors)}\n{answer.Body}");
    }

    // The requests of samples/requests.http that go to {{baseUrl}}: method, path, Content-Type and body.
    private static IEnumerable<(string Method, string Path, string? ContentType, string Body)> SampleRequests()
    {
        var text = File.ReadAllText(Path.Combine(Azurite.RepoRoot(), "samples", "requests.http")).ReplaceLineEndings("\n");
        foreach (var block in text.Split("\n###"))
        {
            var lines = block.Split('\n').Where(l => !l.StartsWith('#')).SkipWhile(l => !l.Contains(" {{baseUrl}}/", StringComparison.Ordinal)).ToList();
            if (lines.Count == 0)
            {
                continue;
            }

            var request = lines[0].Split(' ');
            var headers = lines.Skip(1).TakeWhile(l => l.Length > 0).ToList();
            var contentType = headers.Where(h => h.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase)).Select(h => h["Content-Type:".Length..].Trim()).FirstOrDefault();
            yield return (request[0], request[1]["{{baseUrl}}".Length..].Split('?')[0], contentType, string.Join('\n', lines.Skip(1 + headers.Count)).Trim());
        }
    }

    private static string OperationId(string method, string path)
    {
        using var document = JsonDocument.Parse(s_text);
        var operation = document.RootElement.GetProperty("paths").GetProperty(path).GetProperty(method.ToLowerInvariant());
        return operation.GetProperty("operationId").GetString()!;
    }

    private static JsonSchema RequestSchema(string operationId, string mediaType)
    {
        using var document = JsonDocument.Parse(s_text);
        var body = Operation(document.RootElement, operationId).GetProperty("requestBody").GetProperty("content").GetProperty(mediaType).GetProperty("schema");
        return Build(document.RootElement, body, $"{operationId}/request");
    }

    private static JsonElement Operation(JsonElement root, string operationId) =>
        root.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject())
            .Single(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("operationId", out var id) && id.GetString() == operationId).Value;

    private static JsonSchema Build(JsonElement root, JsonElement schema, string name)
    {
        var definitions = root.GetProperty("components").GetProperty("schemas").GetRawText();
        var text = $$"""{"$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": {{definitions}}, "allOf": [{{schema.GetRawText()}}]}"""
            .Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        return JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri($"https://serverlessml.test/{name}/{Guid.NewGuid():N}"));
    }

    private static JsonSchema Schema(string operationId, int status, string mediaType)
    {
        using var document = JsonDocument.Parse(s_text);
        var root = document.RootElement;
        var operation = Operation(root, operationId);
        Assert.That(operation.GetProperty("responses").TryGetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response), $"{operationId} does not document {status}");
        if (response.TryGetProperty("$ref", out var reference))
        {
            response = root.GetProperty("components").GetProperty("responses").GetProperty(reference.GetString()!.Split('/')[^1]);
        }

        Assert.That(response.TryGetProperty("content", out var content) && content.TryGetProperty(mediaType, out _), $"{operationId} {status} documents no {mediaType} body");
        return Build(root, content.GetProperty(mediaType).GetProperty("schema"), $"{operationId}/{status}");
    }
}
