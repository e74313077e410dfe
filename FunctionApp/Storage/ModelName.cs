using System.Text.RegularExpressions;

namespace ServerlessML.Storage;

/// <summary>Model names are used in blob paths and URLs, so they are kept to lowercase letters, digits and dashes.</summary>
public static partial class ModelName
{
    public const string Default = "default";

    public const string Rule = "1 to 63 lowercase letters, digits or dashes, starting with a letter or digit";

    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex Pattern();
}
