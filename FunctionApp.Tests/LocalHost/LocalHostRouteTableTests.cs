using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using ServerlessML.LocalHost;
using ServerlessML.LocalHost.Configuration;
using ServerlessML.LocalHost.Functions;
using ServerlessML.Tests.Infrastructure;

namespace ServerlessML.Tests.LocalHost;

/// <summary>
/// The local host serves exactly the HTTP routes the Functions host would, as the build's functions.metadata says,
/// so that the two hosts cannot drift apart when a function is added or changed.
/// </summary>
public sealed class LocalHostRouteTableTests
{
    private static readonly string[] s_anyMethod = [];

    [Test]
    public void RouteTable_EqualsTheHttpRoutesInFunctionsMetadata()
    {
        var inMetadata = HttpTriggers().Select(t => $"{t.Name}: [{string.Join(",", t.Methods)}] {t.Route}").ToList();

        var inLocalHost = LocalHostApp.Functions.Select(f => f.ToString());

        Assert.That(inMetadata, Is.Not.Empty);
        Assert.That(inLocalHost, Is.EquivalentTo(inMetadata));
    }

    [Test]
    public async Task LocalHost_ServesEachRouteUnderTheHostJsonPrefixForItsMethods()
    {
        var prefix = HostJson.Load(AppContext.BaseDirectory).RoutePrefix;
        var expected = HttpTriggers().Select(t => $"[{string.Join(",", t.Methods)}] /{(prefix.Length == 0 ? "" : prefix + "/")}{t.Route}").ToList();
        await using var app = LocalHostApp.Build([], LocalHostServer.Settings("http://127.0.0.1:0"));

        var served = HttpFunctionEndpoints.Mapped(app).Select(m => $"[{string.Join(",", m.Methods.Order())}] {m.Pattern}");

        // Empty, so that the dashboard is at /; the API's routes carry api/ themselves.
        Assert.That(prefix, Is.Empty);
        Assert.That(served, Is.EquivalentTo(expected));
    }

    // The Functions host's reading of an HTTP trigger: no route means the function's name; no methods means any.
    private static IEnumerable<(string Name, string Route, IEnumerable<string> Methods)> HttpTriggers() =>
        FunctionsMetadata.Functions
            .Select(f => (Function: f, Trigger: FunctionsMetadata.Trigger(f)))
            .Where(f => f.Trigger.GetProperty("type").GetString() == "httpTrigger")
            .Select(f => (
                FunctionsMetadata.Name(f.Function),
                f.Trigger.TryGetProperty("route", out var route) && route.ValueKind == JsonValueKind.String ? route.GetString()! : FunctionsMetadata.Name(f.Function),
                f.Trigger.TryGetProperty("methods", out var methods) && methods.ValueKind == JsonValueKind.Array
                    ? methods.EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).Order(StringComparer.Ordinal)
                    : s_anyMethod.AsEnumerable()));
}
