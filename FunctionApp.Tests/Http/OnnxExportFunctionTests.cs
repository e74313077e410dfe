using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using ServerlessML.Http;
using ServerlessML.ML;
using ServerlessML.Serving;
using ServerlessML.Tests.Infrastructure;

namespace ServerlessML.Tests.Http;

public sealed class OnnxExportFunctionTests
{
    private WorkflowHost _host = null!;
    private string _model = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _host = await WorkflowHost.StartAsync();
        _model = ModelNames.Unique("onnx");
        await _host.TrainAsync(_model, SyntheticData.Csv(500, withCity: true));
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public async Task GetModelOnnx_LoadsInOnnxRuntimeAndPredictsWhatPredictAnswers()
    {
        var served = await _host.Get<PredictionService>().PredictAsync(
            PredictRequests.Instances(_model, """[{"x1": 1.5, "x2": -0.5, "city": "Oslo"}, {"x1": -2, "x2": 1, "city": "Tromsø"}]"""), CancellationToken.None);

        var response = await ExportAsync("1");

        using var session = new InferenceSession(((MemoryStream)response.Context.Response.Body).ToArray());
        using var results = session.Run(
        [
            NamedOnnxValue.CreateFromTensor("x1", new DenseTensor<float>(new[] { 1.5f, -2f }, [2, 1])),
            NamedOnnxValue.CreateFromTensor("x2", new DenseTensor<float>(new[] { -0.5f, 1f }, [2, 1])),
            NamedOnnxValue.CreateFromTensor("city", new DenseTensor<string>(new[] { "Oslo", "Tromsø" }, [2, 1])),
        ]);
        Assert.That(response.Status, Is.EqualTo(200));
        Assert.That(response.ContentType, Is.EqualTo("application/octet-stream"));
        Assert.That(response.Headers.ContentDisposition.ToString(), Does.Contain($"{_model}-v1.onnx"));
        Assert.That(results.Single().Name, Is.EqualTo(OnnxExport.ScoreOutput));
        Assert.That(results.Single().AsEnumerable<float>().ToArray(), Is.EqualTo(served.Predictions).Within(1e-4));
    }

    [TestCase("9", 404, "has no version 9")]
    [TestCase("latest", 400, "'latest' is not a version number")]
    public async Task GetModelOnnx_NoSuchVersion_AnswersProblem(string version, int status, string detail)
    {
        var response = await ExportAsync(version);

        Assert.That(response.Status, Is.EqualTo(status));
        Assert.That(response.Json.GetProperty("detail").GetString(), Does.Contain(detail));
    }

    private async Task<HttpExchange> ExportAsync(string version)
    {
        var exchange = HttpExchange.Get($"/api/models/{_model}/versions/{version}/model.onnx");
        return await Functions.CallAsync<ModelFunctions>(_host.Services, exchange, f => f.ExportOnnxAsync(exchange.Request, _model, version, CancellationToken.None));
    }
}
