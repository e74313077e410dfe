using System.Reflection;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using ServerlessML.Http;
using ServerlessML.Tests.Infrastructure;
using ServerlessML.Training;

namespace ServerlessML.Tests.Contract;

/// <summary>
/// The contract the Functions host reads: the <c>functions.metadata</c> the SDK generates at build time
/// (copied from FunctionApp's output next to the tests).
/// </summary>
public sealed class FunctionMetadataTests
{
    [TestCase("Train", "api/train", "post", "admin")]
    [TestCase("Predict", "api/predict", "post", "function")]
    [TestCase("PutDataset", "api/datasets/{name}", "put", "admin")]
    [TestCase("ListDatasets", "api/datasets", "get", "function")]
    [TestCase("GetDataset", "api/datasets/{name}", "get", "function")]
    [TestCase("DeleteDataset", "api/datasets/{name}", "delete", "admin")]
    [TestCase("ListModels", "api/models", "get", "function")]
    [TestCase("GetModel", "api/models/{name}", "get", "function")]
    [TestCase("GetModelVersion", "api/models/{name}/versions/{version}", "get", "function")]
    [TestCase("DownloadModel", "api/models/{name}/versions/{version}/model.zip", "get", "function")]
    [TestCase("ExportOnnx", "api/models/{name}/versions/{version}/model.onnx", "get", "function")]
    [TestCase("DeleteModelVersion", "api/models/{name}/versions/{version}", "delete", "admin")]
    [TestCase("GetAlias", "api/models/{name}/aliases/{alias}", "get", "function")]
    [TestCase("SetAlias", "api/models/{name}/aliases/{alias}", "put", "admin")]
    [TestCase("GetTestPredictions", "api/models/{name}/versions/{version}/test-predictions", "get", "function")]
    // The health report names the models being served, so it takes a key like every other read.
    [TestCase("Health", "api/health", "get", "function")]
    // The OpenAPI document describes the API and holds no data: tools fetch it without a key.
    [TestCase("OpenApi", "api/openapi.json", "get", "anonymous")]
    // The dashboard holds no data (it calls the API with the user's key), so the page itself needs none.
    [TestCase("Dashboard", "{page?}", "get", "anonymous")]
    [TestCase("DashboardFile", "dashboard/{file}", "get", "anonymous")]
    // Predicting and reading need a function key; training and every registry write the master key (admin level).
    public void HttpFunction_HasRouteMethodAndAuthLevel(string name, string route, string method, string authLevel)
    {
        var trigger = Trigger(name);

        Assert.That(trigger.GetProperty("type").GetString(), Is.EqualTo("httpTrigger"));
        Assert.That(trigger.GetProperty("route").GetString(), Is.EqualTo(route));
        Assert.That(trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()), Is.EqualTo(new[] { method }));
        Assert.That(trigger.GetProperty("authLevel").GetString(), Is.EqualTo(authLevel).IgnoreCase);
    }

    [TestCase("Train")]
    [TestCase("Health")]
    public void Function_HasADurableClientBinding(string name)
    {
        var bindings = Function(name).GetProperty("bindings").EnumerateArray().Select(b => b.GetProperty("type").GetString());

        Assert.That(bindings, Does.Contain("durableClient"));
    }

    [Test]
    public void Orchestrator_IsRegisteredUnderTheNameTheTrainFunctionStarts()
    {
        Assert.That(Trigger(nameof(TrainingOrchestration)).GetProperty("type").GetString(), Is.EqualTo("orchestrationTrigger"));
    }

    [TestCase(nameof(PrepareDataset))]
    [TestCase(nameof(TrainModel))]
    [TestCase(nameof(CrossValidateFold))]
    [TestCase(nameof(EvaluateModel))]
    [TestCase(nameof(EvaluateChampion))]
    [TestCase(nameof(PublishModel))]
    [TestCase(nameof(CleanupTrainingRun))]
    public void Activity_IsRegisteredUnderTheNameTheOrchestratorCalls(string name)
    {
        Assert.That(Trigger(name).GetProperty("type").GetString(), Is.EqualTo("activityTrigger"));
    }

    [Test]
    public void EveryFunction_EntryPointIsAMethodWithThatFunctionName()
    {
        var assembly = typeof(TrainFunction).Assembly;

        foreach (var function in FunctionsMetadata.Functions)
        {
            var entryPoint = function.GetProperty("entryPoint").GetString()!;
            var cut = entryPoint.LastIndexOf('.');
            var method = assembly.GetType(entryPoint[..cut])?.GetMethod(entryPoint[(cut + 1)..]);

            Assert.That(method?.GetCustomAttribute<FunctionAttribute>()?.Name, Is.EqualTo(function.GetProperty("name").GetString()), entryPoint);
        }
    }

    [Test]
    public void Metadata_ListsExactlyTheFunctionsInTheCode()
    {
        var inCode = typeof(TrainFunction).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Select(m => m.GetCustomAttribute<FunctionAttribute>()?.Name)
            .OfType<string>();

        Assert.That(FunctionsMetadata.Functions.Select(FunctionsMetadata.Name), Is.EquivalentTo(inCode));
    }

    private static JsonElement Function(string name) => FunctionsMetadata.Function(name);

    private static JsonElement Trigger(string name) => FunctionsMetadata.Trigger(Function(name));
}
