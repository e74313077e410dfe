using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessML;

/// <summary>
/// The one JSON shape of the app: camelCase names, enums by name. HTTP responses, durable inputs and outputs
/// (and so the status endpoint's <c>output</c>) and blobs all use it, on either host.
/// </summary>
public static class ServerlessJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>The same shape for a plain Durable Task client and worker (the Functions host uses the worker serializer).</summary>
    public static Microsoft.DurableTask.DataConverter DataConverter { get; } = new Microsoft.DurableTask.Converters.JsonDataConverter(Options);

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.PropertyNameCaseInsensitive = true;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        return options;
    }
}
