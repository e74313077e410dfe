using System.Text.Json;

namespace ServerlessML.Tests.Infrastructure;

/// <summary>
/// The <c>functions.metadata</c> the Functions SDK generates when FunctionApp builds (copied next to the tests): the
/// bindings the Functions host reads.
/// </summary>
internal static class FunctionsMetadata
{
    private static readonly Lazy<JsonElement[]> s_functions = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "functions.metadata");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.EnumerateArray().ToArray();
    });

    public static IReadOnlyList<JsonElement> Functions => s_functions.Value;

    public static string Name(JsonElement function) => function.GetProperty("name").GetString()!;

    public static JsonElement Function(string name) => Functions.Single(f => Name(f) == name);

    public static JsonElement Trigger(JsonElement function) =>
        function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
}
