using System.Text.RegularExpressions;

namespace ServerlessML.Storage;

/// <summary>Names of models, datasets and aliases end up in blob paths and URLs, so they are kept to lowercase
/// letters, digits and dashes.</summary>
public static partial class ResourceName
{
    public const string DefaultModel = "default";

    public const string Rule = "1 to 63 lowercase letters, digits or dashes, starting with a letter or digit";

    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    /// <summary>The name if valid, else an <see cref="InvalidRequestException"/> saying what a name may be.</summary>
    public static string Check(string name, string what) =>
        IsValid(name) ? name : throw new InvalidRequestException($"'{name}' is not a valid {what} name: use {Rule}.");

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex Pattern();
}
