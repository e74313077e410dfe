using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using ServerlessML.LocalHost.Functions;
using ServerlessML.Tests.Infrastructure;

namespace ServerlessML.Tests.LocalHost;

/// <summary>
/// How the local host binds and calls functions, on stand-in functions with the kinds of routes the app grows into
/// (route constraints, several parameters, any method), over real HTTP.
/// </summary>
public sealed class HttpFunctionInvokerTests
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var url = $"http://127.0.0.1:{Azurite.FreePort()}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Services.AddMvcCore();
        builder.Services.AddSingleton<Greeting>(new Greeting("hello"));
        _app = builder.Build();
        _app.MapHttpFunctions(HttpFunction.Discover([typeof(ModelFunctions)]), "api");
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(url) };
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    [Test]
    public void Discover_ReadsNameRouteAndMethodsAsTheFunctionsHostDoes()
    {
        var functions = HttpFunction.Discover([typeof(ModelFunctions)]).Select(f => f.ToString());

        Assert.That(functions, Is.EqualTo(new[]
        {
            "Echo: [] Echo",
            "GetAlias: [GET,PUT] models/{name}/aliases/{alias}",
            "GetVersion: [GET] models/{name}/versions/{version:int}",
        }));
    }

    [Test]
    public async Task RouteParameters_AreBoundByNameAndType()
    {
        var body = await GetJsonAsync("/api/models/houses/versions/3");

        Assert.That(body.GetProperty("name").GetString(), Is.EqualTo("houses"));
        Assert.That(body.GetProperty("version").GetInt32(), Is.EqualTo(3));
        Assert.That(body.GetProperty("greeting").GetString(), Is.EqualTo("hello"));
    }

    [Test]
    public async Task RouteConstraint_NotMet_Returns404()
    {
        using var response = await _client.GetAsync("/api/models/houses/versions/latest");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task StaticFunctionReturningTaskOfResult_IsCalled()
    {
        using var response = await _client.PutAsync("/api/models/houses/aliases/production", null);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.RootElement.GetProperty("alias").GetString(), Is.EqualTo("production"));
        Assert.That(body.RootElement.GetProperty("method").GetString(), Is.EqualTo("PUT"));
    }

    [TestCase("GET")]
    [TestCase("DELETE")]
    public async Task NoMethods_MeansAnyMethod_AndNoRouteMeansTheFunctionName(string method)
    {
        using var response = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/api/Echo"));

        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(method));
    }

    [TestCase(typeof(UnknownParameterFunction), "parameter 'missing' (String) cannot be bound")]
    [TestCase(typeof(FunctionContextFunction), "parameter 'context' (FunctionContext) cannot be bound")]
    [TestCase(typeof(WrongReturnFunction), "returns String; it must return IActionResult or Task<IActionResult>")]
    [TestCase(typeof(UnregisteredServiceFunction), "no service is registered for 'missing' (Uri)")]
    public void UnsupportedFunction_FailsAtStartupSayingWhy(Type functions, string reason)
    {
        var function = HttpFunction.Discover([functions]).Single();
        var services = new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceProviderIsService>();

        var failure = Assert.Throws<InvalidOperationException>(() => HttpFunctionInvoker.Create(function, services));

        Assert.That(failure!.Message, Does.Contain($"{functions.FullName}.Run (function '{function.Name}')").And.Contain(reason));
    }

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await _client.GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    public sealed record Greeting(string Text);

    public sealed class ModelFunctions(Greeting greeting)
    {
        [Function("GetVersion")]
        public IActionResult GetVersion(
            [HttpTrigger(AuthorizationLevel.Function, "get", Route = "models/{name}/versions/{version:int}")] HttpRequest request, string name, int version) =>
            new OkObjectResult(new { name, version, greeting = greeting.Text });

        [Function("GetAlias")]
        public static Task<OkObjectResult> GetAliasAsync(
            [HttpTrigger(AuthorizationLevel.Function, "get", "put", Route = "models/{name}/aliases/{alias}")] HttpRequest request, string alias, CancellationToken cancellationToken) =>
            Task.FromResult(new OkObjectResult(new { alias, method = request.Method }));

        [Function("Echo")]
        public static IActionResult Echo([HttpTrigger(AuthorizationLevel.Anonymous)] HttpRequest request) => new OkObjectResult(request.Method);
    }

    public sealed class UnknownParameterFunction
    {
        [Function("Unknown")]
        public static IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "things/{name}")] HttpRequest request, string missing) => new OkResult();
    }

    public sealed class FunctionContextFunction
    {
        [Function("WithContext")]
        public static IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request, FunctionContext context) => new OkResult();
    }

    public sealed class WrongReturnFunction
    {
        [Function("Text")]
        public static string Run([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request) => "text";
    }

    public sealed class UnregisteredServiceFunction(Uri missing)
    {
        [Function("NeedsUri")]
        public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request) => new OkObjectResult(missing);
    }
}
