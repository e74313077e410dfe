using System.Text.Json;

namespace ServerlessML.Storage;

/// <summary>How manifests and aliases are written: the app's JSON shape, indented for people who open them.</summary>
public static class StorageJson
{
    public static JsonSerializerOptions Options { get; } = new(ServerlessJson.Options) { WriteIndented = true };
}
