using ServerlessML.Storage;

namespace ServerlessML.Serving;

/// <summary>The model version a predict request asks for: a version number, an alias, or neither (the production alias).</summary>
public sealed record ModelTarget(string Model, int? Version = null, string? Alias = null)
{
    /// <summary>The alias the version is read from when no number is given.</summary>
    public string AliasOrProduction => Alias ?? ModelStore.Production;
}
