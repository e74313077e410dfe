using System.Buffers;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;

namespace ServerlessML.Http;

/// <summary>Reads a request body whole, refusing it early (413) when it is larger than allowed and (400) when empty.</summary>
public static class RequestBody
{
    /// <summary>Reads a body into an array of its own, for a body that is kept (staged, parsed into a document).</summary>
    public static async Task<byte[]> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        using var body = await ReadPooledAsync(request, limit, cancellationToken);
        return body.Memory.ToArray();
    }

    /// <summary>Reads a body into a rented array: for bodies read on every request, where a fresh array of a large body
    /// would land on the large-object heap each time. Dispose it when done with the bytes.</summary>
    public static async Task<PooledBody> ReadPooledAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            throw LengthLimitedStream.TooLarge(limit);
        }

        var declared = request.ContentLength;
        var body = new PooledBody(ArrayPool<byte>.Shared.Rent((int)(declared ?? 16 * 1024)));
        try
        {
            // With a Content-Length, stop at it rather than asking the server for an end it would only confirm.
            int read;
            while ((declared is null || body.Length < declared) && (read = await request.Body.ReadAsync(body.Free, cancellationToken)) > 0)
            {
                body.Advance(read, limit);
            }

            return body.Length > 0 ? body : throw new InvalidRequestException("The request body is empty.");
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    /// <summary>The media type of the request without parameters, lowercase; null when none is given.</summary>
    public static string? MediaType(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType?.ToLowerInvariant() : null;

    /// <summary>Whether the media type is CSV.</summary>
    public static bool IsCsv(string? mediaType) => mediaType is "text/csv" or "application/csv";

    public static bool IsJson(string? mediaType) =>
        mediaType is "application/json" || (mediaType?.EndsWith("+json", StringComparison.Ordinal) ?? false);

    public static ProblemException UnsupportedMediaType(string? mediaType, string accepted) =>
        new(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type",
            $"{(mediaType is null ? "The request has no Content-Type" : $"Content-Type '{mediaType}' is not supported")}; send {accepted}.");
}
