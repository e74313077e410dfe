using System.Text.Json;
using System.Text.RegularExpressions;
using ServerlessML.OpenApi;
using ServerlessML.Tests.Infrastructure;

namespace ServerlessML.Tests.Contract;

/// <summary>
/// The hand-written OpenAPI document stays true: its operations are exactly the HTTP functions the build's
/// functions.metadata lists (path, method, name, auth level), every reference in it resolves, and the sample requests
/// only use operations it has.
/// </summary>
public sealed partial class OpenApiDocumentTests
{
    // Web pages, not API: the dashboard is described in the README, not in the document.
    private static readonly string[] s_notApi = ["Dashboard", "DashboardFile"];

    private static readonly string[] s_methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    private static JsonElement Document => JsonDocument.Parse(OpenApiFunction.Document).RootElement;

    [Test]
    public void Document_IsOpenApi31()
    {
        Assert.That(Document.GetProperty("openapi").GetString(), Is.EqualTo("3.1.0"));
    }

    [Test]
    public void Operations_EqualTheHttpRoutesInFunctionsMetadata()
    {
        var inMetadata = HttpFunctions().Where(f => !s_notApi.Contains(f.Name)).Select(f => $"{f.Method} /{f.Route} {f.Name} {f.AuthLevel}");

        var inDocument = Operations().Select(o => $"{o.Method} {o.Path} {o.Operation.GetProperty("operationId").GetString()} {o.Operation.GetProperty("x-functions-auth-level").GetString()}");

        Assert.That(inDocument, Is.EquivalentTo(inMetadata));
    }

    [Test]
    public void ExcludedFunctions_AreHttpFunctionsOutsideTheApi()
    {
        var excluded = HttpFunctions().Where(f => s_notApi.Contains(f.Name)).ToList();

        Assert.That(excluded.Select(f => f.Name), Is.EquivalentTo(s_notApi));
        Assert.That(excluded.Select(f => f.Route), Has.None.StartsWith("api/"));
    }

    [Test]
    public void AnonymousOperations_AndOnlyThose_NeedNoKey()
    {
        foreach (var (path, method, operation) in Operations())
        {
            var anonymous = operation.GetProperty("x-functions-auth-level").GetString() == "anonymous";
            var needsNoKey = operation.TryGetProperty("security", out var security) && security.GetArrayLength() == 0;

            Assert.That(needsNoKey, Is.EqualTo(anonymous), $"{method} {path}");
        }
    }

    [Test]
    public void SecuritySchemes_AreTheFunctionKeyInTheHeaderAndTheQuery()
    {
        var schemes = Document.GetProperty("components").GetProperty("securitySchemes");

        Assert.That(schemes.EnumerateObject().Select(s => $"{s.Value.GetProperty("type").GetString()} {s.Value.GetProperty("in").GetString()} {s.Value.GetProperty("name").GetString()}"),
            Is.EquivalentTo(new[] { "apiKey header x-functions-key", "apiKey query code" }));
        Assert.That(Document.GetProperty("security").EnumerateArray().SelectMany(s => s.EnumerateObject().Select(p => p.Name)),
            Is.EquivalentTo(schemes.EnumerateObject().Select(s => s.Name)));
    }

    [Test]
    public void EveryPathParameter_IsDeclared()
    {
        foreach (var (path, method, operation) in Operations())
        {
            var declared = Parameters(Document.GetProperty("paths").GetProperty(path)).Concat(Parameters(operation))
                .Where(p => p.GetProperty("in").GetString() == "path").Select(p => p.GetProperty("name").GetString());

            Assert.That(declared, Is.EquivalentTo(PathParameter().Matches(path).Select(m => m.Groups[1].Value)), $"{method} {path}");
        }
    }

    [Test]
    public void EveryErrorAnswer_IsAProblemDetails_ExceptTheHostsAndHealth()
    {
        foreach (var (path, method, operation) in Operations())
        {
            foreach (var response in operation.GetProperty("responses").EnumerateObject().Where(r => r.Name[0] is '4' or '5' && r.Name is not "401"))
            {
                var content = Resolve(response.Value).GetProperty("content");
                var problem = content.TryGetProperty("application/problem+json", out var json) && json.GetProperty("schema").GetProperty("$ref").GetString() == "#/components/schemas/ProblemDetails";

                Assert.That(problem || (path == "/api/health" && response.Name == "503"), $"{method} {path} {response.Name}");
            }
        }
    }

    [Test]
    public void EveryReference_Resolves()
    {
        var references = new List<string>();
        Collect(Document, references);

        Assert.That(references, Is.Not.Empty);
        Assert.That(references.Where(r => Find(r) is null), Is.Empty);
    }

    [Test]
    public void SampleRequests_UseOnlyOperationsOfTheDocument()
    {
        var lines = File.ReadAllLines(Path.Combine(Azurite.RepoRoot(), "samples", "requests.http"));
        var requests = lines.Select(l => RequestLine().Match(l)).Where(m => m.Success).Select(m => (Method: m.Groups[1].Value.ToLowerInvariant(), Target: m.Groups[2].Value)).ToList();
        var operations = Operations().Select(o => (o.Method, Path: new Regex($"^{PathParameter().Replace(o.Path, "[^/]+")}$"))).ToList();

        var api = requests.Where(r => r.Target.StartsWith("{{baseUrl}}/", StringComparison.Ordinal)).ToList();
        var other = requests.Except(api).ToList();

        Assert.That(api, Is.Not.Empty);
        foreach (var (method, target) in api)
        {
            var path = target["{{baseUrl}}".Length..].Split('?')[0];
            Assert.That(operations.Any(o => o.Method == method && o.Path.IsMatch(path)), $"{method} {path} is not in the OpenAPI document");
        }

        // The rest follow a link an earlier answer gave (the durable status URL), which is the durable extension's API.
        Assert.That(other.Select(r => r.Target), Has.All.Matches(@"^\{\{\w+\.response\.headers\.Location\}\}$"));
    }

    [Test]
    public async Task Function_ServesTheDocumentWithAnETag_And304WhenUnchanged()
    {
        var exchange = HttpExchange.Get("/api/openapi.json");
        var first = await exchange.ExecuteAsync(OpenApiFunction.Run(exchange.Request));
        var again = HttpExchange.Get("/api/openapi.json");
        again.Request.Headers.IfNoneMatch = first.Headers.ETag;

        var second = await again.ExecuteAsync(OpenApiFunction.Run(again.Request));

        Assert.That(first.Status, Is.EqualTo(200));
        Assert.That(first.ContentType, Does.StartWith("application/json"));
        Assert.That(first.Json.GetProperty("openapi").GetString(), Is.EqualTo("3.1.0"));
        Assert.That(second.Status, Is.EqualTo(304));
    }

    private static IEnumerable<(string Name, string Route, string Method, string AuthLevel)> HttpFunctions() =>
        FunctionsMetadata.Functions
            .Select(f => (Function: f, Trigger: FunctionsMetadata.Trigger(f)))
            .Where(f => f.Trigger.GetProperty("type").GetString() == "httpTrigger")
            .SelectMany(f => f.Trigger.GetProperty("methods").EnumerateArray().Select(m => (
                FunctionsMetadata.Name(f.Function),
                f.Trigger.GetProperty("route").GetString()!,
                m.GetString()!.ToLowerInvariant(),
                f.Trigger.GetProperty("authLevel").GetString()!.ToLowerInvariant())));

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations() =>
        Document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Where(o => s_methods.Contains(o.Name)).Select(o => (p.Name, o.Name, o.Value)));

    private static IEnumerable<JsonElement> Parameters(JsonElement owner) =>
        owner.TryGetProperty("parameters", out var parameters) ? parameters.EnumerateArray().Select(Resolve) : [];

    private static JsonElement Resolve(JsonElement element) =>
        element.TryGetProperty("$ref", out var reference) ? Find(reference.GetString()!) ?? throw new InvalidOperationException($"Unresolved {reference}") : element;

    private static JsonElement? Find(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            return null;
        }

        var current = Document;
        foreach (var part in reference[2..].Split('/'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal), out current))
            {
                return null;
            }
        }

        return current;
    }

    private static void Collect(JsonElement element, List<string> references)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name == "$ref")
                {
                    references.Add(property.Value.GetString()!);
                }
                else
                {
                    Collect(property.Value, references);
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                Collect(item, references);
            }
        }
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex PathParameter();

    [GeneratedRegex(@"^(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS)\s+(\S+)")]
    private static partial Regex RequestLine();
}
