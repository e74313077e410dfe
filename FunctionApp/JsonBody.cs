using System.Text.Json;

namespace ServerlessML;

/// <summary>Reading a request body as JSON, where malformed JSON is the caller's mistake to be told about (400).</summary>
internal static class JsonBody
{
    public static JsonDocument Parse(ReadOnlyMemory<byte> body) => Guard(() => JsonDocument.Parse(body));

    public static T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (JsonException e)
        {
            throw new InvalidRequestException($"The body is not valid JSON: {e.Message}");
        }
    }
}
