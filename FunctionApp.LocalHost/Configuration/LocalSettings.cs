using System.Text.Json;

namespace ServerlessML.LocalHost.Configuration;

/// <summary>
/// The <c>Values</c> of <c>local.settings.json</c>, the file Core Tools reads, as configuration keys (<c>Training__MaxWaitSeconds</c>
/// becomes <c>Training:MaxWaitSeconds</c>, as it does for an environment variable).
/// </summary>
public static class LocalSettings
{
    public const string FileName = "local.settings.json";

    public static IReadOnlyDictionary<string, string?> Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        return File.Exists(path) ? Parse(File.ReadAllText(path)) : new Dictionary<string, string?>();
    }

    public static IReadOnlyDictionary<string, string?> Parse(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (!document.RootElement.TryGetProperty("Values", out var settings) || settings.ValueKind != JsonValueKind.Object)
        {
            return values;
        }

        foreach (var setting in settings.EnumerateObject())
        {
            values[setting.Name.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal)] = setting.Value.ValueKind switch
            {
                JsonValueKind.String => setting.Value.GetString(),
                JsonValueKind.Null => null,
                _ => setting.Value.GetRawText(),
            };
        }

        return values;
    }
}
