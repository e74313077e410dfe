using System.Text.Json;

namespace ServerlessML;

/// <summary>Reading a request body as JSON, where malformed JSON is the caller's mistake to be told about (400).</summary>
internal static class JsonBody
{
    public static JsonDocument Parse(ReadOnlyMemory<byte> body)
    {
        var json = Checked(body);
        return Guard(() => JsonDocument.Parse(json));
    }

    /// <summary>
    /// The body without its UTF-8 byte order mark, once its text is known to read as strings: valid UTF-8, and no
    /// <c>\u</c> escape that is half a character. System.Text.Json throws InvalidOperationException, not JsonException,
    /// when it reads a string with either, so they are found here, where the caller can be told where they are.
    /// </summary>
    public static ReadOnlyMemory<byte> Checked(ReadOnlyMemory<byte> body)
    {
        var bytes = body.Span;
        if (Utf8Text.FirstInvalid(bytes) is var invalid and >= 0)
        {
            throw new InvalidRequestException(
                $"The body is not UTF-8: {Utf8Text.Position(bytes, invalid)} is the byte 0x{bytes[invalid]:X2}" +
                $"{(Utf8Text.LooksLikeUtf16(bytes) ? ", and the body looks like UTF-16" : "")}. JSON must be UTF-8: send the text encoded as UTF-8.");
        }

        if (bytes.StartsWith("\uFEFF"u8))
        {
            body = body[3..];
        }

        if (body.Span.IndexOf("\\u"u8) >= 0)
        {
            CheckEscapes(body.Span);
        }

        return body;
    }

    public static T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (JsonException e)
        {
            // The reader's own position suffix is zero-based; people count from one.
            var message = e.Message;
            var suffix = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            throw new InvalidRequestException(suffix < 0 || e.LineNumber is not { } line
                ? $"The body is not valid JSON: {message}"
                : $"The body is not valid JSON at line {line + 1}, byte {e.BytePositionInLine + 1}: {message[..suffix]}");
        }
    }

    private static void CheckEscapes(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    try
                    {
                        reader.GetString();
                    }
                    catch (InvalidOperationException)
                    {
                        throw new InvalidRequestException(
                            $"The body is not valid JSON at {Utf8Text.Position(json, (int)reader.TokenStartIndex)}: " +
                            $"{(reader.TokenType == JsonTokenType.PropertyName ? "a name" : "a string")} has a \\u escape that is half of a " +
                            "character (a lone UTF-16 surrogate such as \\ud800). Escape a character outside the BMP as a pair, or send it as UTF-8.");
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Malformed JSON: the parse that follows says where.
        }
    }
}
