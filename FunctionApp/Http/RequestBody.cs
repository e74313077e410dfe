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
            throw TooLarge(limit);
        }

        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 64 * 1024);
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge(limit);
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

    public static bool IsJson(string? mediaType) =>
        mediaType is "application/json" || (mediaType?.EndsWith("+json", StringComparison.Ordinal) ?? false);

    public static ProblemException UnsupportedMediaType(string? mediaType, string accepted) =>
        new(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type",
            $"{(mediaType is null ? "The request has no Content-Type" : $"Content-Type '{mediaType}' is not supported")}; send {accepted}.");

    private static ProblemException TooLarge(long limit) =>
        new(StatusCodes.Status413PayloadTooLarge, "Request body too large",
            $"The body is larger than the {limit:N0} bytes allowed. Send less data, or raise the limit in configuration.");
}
