using System.Text.Json;

namespace ServerlessML.LocalHost.Durable;

/// <summary>
/// Durable payloads arrive serialized. The Functions host embeds them in its responses as JSON values, not as strings
/// holding JSON, and falls back to a string for text that is not JSON; so does this.
/// </summary>
internal static class SerializedJson
{
    public static void Write(Utf8JsonWriter writer, string name, string? serialized)
    {
        writer.WritePropertyName(name);
        // The Azure Storage backend keeps "no value" as an empty string; the Functions host shows it as null.
        if (string.IsNullOrEmpty(serialized))
        {
            writer.WriteNullValue();
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(serialized);
            document.RootElement.WriteTo(writer);
        }
        catch (JsonException)
        {
            writer.WriteStringValue(serialized);
        }
    }
}
