using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Net.Http.Headers;

namespace ServerlessML.Dashboard;

/// <summary>
/// The dashboard: a page at <c>/</c> and its few static files under <c>/dashboard/</c>, embedded in the assembly so that
/// both hosts serve them as functions, with nothing from a CDN. The page holds no data: everything it shows comes from
/// the API, with the key the user gives it, so serving it needs no key.
/// </summary>
public static class DashboardFunctions
{
    // The page may load only its own files and talk only to its own origin.
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private static readonly FrozenDictionary<string, (byte[] Content, string Type, string ETag)> s_files = Load();

    [Function("Dashboard")]
    public static IActionResult Page(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "{page?}")] HttpRequest request,
        string? page) =>
        page is null or "index.html" ? Serve(request, "index.html") : throw NotServed(request);

    [Function("DashboardFile")]
    public static IActionResult File(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/{file}")] HttpRequest request,
        string file) =>
        file != "index.html" && s_files.ContainsKey(file) ? Serve(request, file) : throw NotServed(request);

    private static IActionResult Serve(HttpRequest request, string name)
    {
        var (content, type, etag) = s_files[name];
        var headers = request.HttpContext.Response.Headers;
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers[HeaderNames.CacheControl] = "no-cache";
        headers[HeaderNames.ETag] = etag;
        if (type.StartsWith("text/html", StringComparison.Ordinal))
        {
            headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
        }

        return request.Headers.IfNoneMatch.ToString() == etag
            ? new StatusCodeResult(StatusCodes.Status304NotModified)
            : new FileContentResult(content, type);
    }

    private static NotFoundException NotServed(HttpRequest request) =>
        new($"Nothing is served at {request.Method} {request.Path}. The dashboard is at /, the API under /api (train, predict, datasets, models, health; described by /api/openapi.json), " +
            "and the status of runs under /runtime/webhooks/durabletask/instances; see the README.");

    private static FrozenDictionary<string, (byte[], string, string)> Load()
    {
        var assembly = typeof(DashboardFunctions).Assembly;
        const string prefix = "ServerlessML.Dashboard.wwwroot.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .ToFrozenDictionary(n => n[prefix.Length..], n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                var bytes = copy.ToArray();
                return (bytes, ContentType(n), $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}\"");
            });
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
