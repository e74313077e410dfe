using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Net.Http.Headers;
using ServerlessML.Http;

namespace ServerlessML.OpenApi;

/// <summary>
/// <c>GET /api/openapi.json</c>: the OpenAPI 3.1 document of the HTTP API, hand-written (OpenApi/openapi.json, embedded)
/// because the worker has no endpoint metadata to generate it from; tests keep its operations equal to the functions'
/// routes, methods and auth levels. It describes the API and holds no data, so it needs no key, as client generators
/// and API tools expect.
/// </summary>
public static class OpenApiFunction
{
    public const string ResourceName = "ServerlessML.OpenApi.openapi.json";

    private static readonly Lazy<(byte[] Content, string ETag)> s_document = new(Load);

    /// <summary>The document's bytes, as served.</summary>
    public static ReadOnlyMemory<byte> Document => s_document.Value.Content;

    [Function("OpenApi")]
    public static IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/openapi.json")] HttpRequest request)
    {
        QueryOptions.Check(request);
        var (content, etag) = s_document.Value;
        request.HttpContext.Response.Headers[HeaderNames.ETag] = etag;
        request.HttpContext.Response.Headers[HeaderNames.CacheControl] = "no-cache";
        return request.Headers.IfNoneMatch.ToString() == etag
            ? new StatusCodeResult(StatusCodes.Status304NotModified)
            : new FileContentResult(content, "application/json; charset=utf-8");
    }

    private static (byte[], string) Load()
    {
        using var stream = typeof(OpenApiFunction).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The OpenAPI document ({ResourceName}) is not embedded in the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var bytes = copy.ToArray();
        return (bytes, $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}\"");
    }
}
