using System.Text.Json;

namespace ServerlessML.LocalHost.Configuration;

/// <summary>
/// The parts of <c>host.json</c> that apply outside the Functions host: the HTTP route prefix and the durable
/// concurrency limits. Read from the same file the Functions host reads, so the two hosts cannot disagree.
/// </summary>
public sealed record HostJson(string RoutePrefix, int? MaxConcurrentActivityFunctions, int? MaxConcurrentOrchestratorFunctions)
{
    public const string FileName = "host.json";

    /// <summary>The Functions host's defaults, for an app without a host.json.</summary>
    public static HostJson Default { get; } = new("api", null, null);

    public static HostJson Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        return File.Exists(path) ? Parse(File.ReadAllText(path)) : Default;
    }

    public static HostJson Parse(string json)
    {
        // host.json tolerates comments and trailing commas, as the Functions host does.
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var extensions = Property(document.RootElement, "extensions");
        var http = Property(extensions, "http");
        var durable = Property(extensions, "durableTask");
        return new HostJson(
            Property(http, "routePrefix") is { ValueKind: JsonValueKind.String } prefix ? prefix.GetString()!.Trim('/') : Default.RoutePrefix,
            PositiveInt(durable, "maxConcurrentActivityFunctions"),
            PositiveInt(durable, "maxConcurrentOrchestratorFunctions"));
    }

    private static int? PositiveInt(JsonElement? parent, string name) =>
        Property(parent, name) is { } value
            ? value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number > 0
                ? number
                : throw new InvalidOperationException($"host.json: {name} must be a positive whole number; it is {value.GetRawText()}.")
            : null;

    // Property names in host.json are case-insensitive for the Functions host.
    private static JsonElement? Property(JsonElement? parent, string name)
    {
        if (parent is not { ValueKind: JsonValueKind.Object } element)
        {
            return null;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }
}
