using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace ServerlessML;

/// <summary>
/// The one JSON shape of the app: camelCase names, enums by name, text as written (<c>'</c> and <c>ø</c>, not
/// <c>\u0027</c> and <c>\u00F8</c>: every answer is <c>application/json</c>, never inlined into HTML). HTTP responses,
/// durable inputs and outputs (and so the status endpoint's <c>output</c>) and blobs all use it, on either host.
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
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        // Generated code first for the types it covers; reflection, as before, for every other type.
        if (options.TypeInfoResolverChain.Count == 0)
        {
            options.TypeInfoResolverChain.Add(new DefaultJsonTypeInfoResolver());
        }

        options.TypeInfoResolverChain.Insert(0, ServerlessJsonContext.Default);
        return options;
    }
}
