using System.Buffers;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ServerlessML.Http;

/// <summary>Reads a request body whole, refusing it early (413) when it is larger than allowed, (415) when compressed,
/// and (400) when empty; and says what its content type and charset allow.</summary>
public static class RequestBody
{
    private static readonly Encoding s_windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;

    /// <summary>Reads a body into an array of its own, for a body that is kept (staged, parsed into a document).</summary>
    /// <param name="setting">The setting that raises <paramref name="limit"/>, to name when the body is over it.</param>
    public static async Task<byte[]> ReadAsync(HttpRequest request, long limit, string? setting, CancellationToken cancellationToken)
    {
        using var body = await ReadPooledAsync(request, limit, setting, cancellationToken);
        return body.Memory.ToArray();
    }

    /// <summary>Reads a body into a rented array: for bodies read on every request, where a fresh array of a large body
    /// would land on the large-object heap each time. Dispose it when done with the bytes.</summary>
    public static async Task<PooledBody> ReadPooledAsync(HttpRequest request, long limit, string? setting, CancellationToken cancellationToken)
    {
        CheckContentEncoding(request);
        if (request.ContentLength > limit)
        {
            throw LengthLimitedStream.TooLarge(limit, setting);
        }

        var declared = request.ContentLength;
        var body = new PooledBody(ArrayPool<byte>.Shared.Rent((int)(declared ?? 16 * 1024)));
        try
        {
            // With a Content-Length, stop at it rather than asking the server for an end it would only confirm.
            int read;
            while ((declared is null || body.Length < declared) && (read = await request.Body.ReadAsync(body.Free, cancellationToken)) > 0)
            {
                body.Advance(read, limit, setting);
            }

            return body.Length == 0 ? throw new InvalidRequestException("The request body is empty.")
                : body.Memory.Span.IndexOfAnyExcept(" \t\r\n"u8) < 0 ? throw new InvalidRequestException("The request body is empty: it has only whitespace.")
                : body;
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    /// <summary>Refuses (415) a compressed body: the functions read bodies as they are sent.</summary>
    public static void CheckContentEncoding(HttpRequest request)
    {
        var encoding = request.Headers.ContentEncoding.ToString().Trim();
        if (encoding.Length > 0 && !string.Equals(encoding, "identity", StringComparison.OrdinalIgnoreCase))
        {
            throw new ProblemException(StatusCodes.Status415UnsupportedMediaType, "Unsupported content encoding",
                $"Content-Encoding '{encoding}' is not supported: send the body uncompressed, without a Content-Encoding header.");
        }
    }

    /// <summary>The encoding a CSV body declares with <c>charset</c>: null for UTF-8 (also when none is declared);
    /// Latin-1 and Windows-1252, which Excel and older tools write, are read too; anything else is refused (415).</summary>
    public static Encoding? CsvEncoding(HttpRequest request) =>
        Charset(request) switch
        {
            null or "utf-8" or "utf8" or "us-ascii" or "ascii" => null,
            "iso-8859-1" or "iso8859-1" or "latin1" or "latin-1" or "l1" => Encoding.Latin1,
            "windows-1252" or "cp1252" => s_windows1252,
            var other => throw new ProblemException(StatusCodes.Status415UnsupportedMediaType, "Unsupported charset",
                $"charset '{other}' is not supported: send the CSV as UTF-8, or declare charset=iso-8859-1 or charset=windows-1252 for a file in one of those."),
        };

    /// <summary>Refuses (415) a JSON body that declares an encoding other than UTF-8, which JSON is.</summary>
    public static void CheckJsonCharset(HttpRequest request)
    {
        if (Charset(request) is { } charset and not ("utf-8" or "utf8" or "us-ascii"))
        {
            throw new ProblemException(StatusCodes.Status415UnsupportedMediaType, "Unsupported charset",
                $"charset '{charset}' is not supported for JSON: send it as UTF-8 (charset=utf-8, or no charset).");
        }
    }

    /// <summary>The media type of the request without parameters, lowercase; null when none is given, and the whole
    /// header when it cannot be parsed (so that a refusal quotes it rather than saying there is none).</summary>
    public static string? MediaType(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType?.ToLowerInvariant()
        : string.IsNullOrWhiteSpace(request.ContentType) ? null
        : request.ContentType.Trim().ToLowerInvariant();

    /// <summary>Whether the media type is CSV.</summary>
    public static bool IsCsv(string? mediaType) => mediaType is "text/csv" or "application/csv";

    /// <summary>Whether the media type is Parquet: the registered type, or the names tools used before it was registered.</summary>
    public static bool IsParquet(string? mediaType) =>
        mediaType is Data.ParquetTableReader.MediaType or "application/x-parquet" or "application/parquet";

    public static bool IsJson(string? mediaType) =>
        mediaType is "application/json" || (mediaType?.EndsWith("+json", StringComparison.Ordinal) ?? false);

    public static ProblemException UnsupportedMediaType(string? mediaType, string accepted) =>
        new(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type",
            $"{(mediaType is null ? "The request has no Content-Type" : $"Content-Type '{mediaType}' is not supported")}; send {accepted}." + mediaType switch
            {
                "application/x-www-form-urlencoded" => " (curl -d sends this type unless told otherwise: add -H \"Content-Type: …\", and send a file with --data-binary @file, which keeps its line breaks.)",
                "multipart/form-data" => " (That is a form upload, such as curl -F: send the file itself as the body, e.g. curl --data-binary @file.)",
                _ => "",
            });

    private static string? Charset(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) && parsed.CharSet is { Length: > 0 } charset
            ? charset.Trim('"', ' ').ToLowerInvariant()
            : null;
}
