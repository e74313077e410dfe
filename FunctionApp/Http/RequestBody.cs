using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;

namespace ServerlessML.Http;

/// <summary>Reads a request body whole, refusing it early (413) when it is larger than allowed.</summary>
public static class RequestBody
{
    public static async Task<byte[]> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            throw LengthLimitedStream.TooLarge(limit);
        }

        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 64 * 1024);
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw LengthLimitedStream.TooLarge(limit);
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            throw new InvalidRequestException("The request body is empty.");
        }

        return buffer.Length == buffer.Capacity ? buffer.GetBuffer() : buffer.ToArray();
    }

    /// <summary>The media type of the request without parameters, lowercase; null when none is given.</summary>
    public static string? MediaType(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType?.ToLowerInvariant() : null;

    /// <summary>Whether the media type is CSV.</summary>
    public static bool IsCsv(string? mediaType) => mediaType is "text/csv" or "application/csv";

    /// <summary>Who is calling, when the platform says (App Service authentication / Easy Auth); null otherwise.</summary>
    public static string? Caller(HttpRequest request) =>
        request.HttpContext.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name
        : request.Headers["X-MS-CLIENT-PRINCIPAL-NAME"] is { Count: > 0 } header ? header.ToString()
        : null;

    public static bool IsJson(string? mediaType) =>
        mediaType is "application/json" || (mediaType?.EndsWith("+json", StringComparison.Ordinal) ?? false);

    public static ProblemException UnsupportedMediaType(string? mediaType, string accepted) =>
        new(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type",
            $"{(mediaType is null ? "The request has no Content-Type" : $"Content-Type '{mediaType}' is not supported")}; send {accepted}.");
}
