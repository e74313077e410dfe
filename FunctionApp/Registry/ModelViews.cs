using ServerlessML.ML;
using ServerlessML.Storage;

namespace ServerlessML.Registry;

/// <summary>A model in the list: how many versions, where its aliases point, and how production scored.</summary>
public sealed record ModelSummary(string Name, int Versions, int? Latest, int? Production, RegressionMetrics? ProductionMetrics);

/// <summary>One version in a model's detail: when, how good, on what data, from which run, which aliases point at
/// it, and its run's warnings.</summary>
public sealed record ModelVersionSummary(
    int Version,
    DateTimeOffset Created,
    RegressionMetrics Metrics,
    RowCounts Rows,
    string DatasetSha256,
    string RunId,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> Warnings);

/// <summary>
/// A version whose publish stopped between writing model.zip and its manifest: not served, not aliasable, its number
/// used up. Publishing the same run again finishes it; deleting it removes it.
/// </summary>
public sealed record IncompleteVersion(int Version, string? RunId, DateTimeOffset? Started);

/// <summary>A model with all its published versions, its aliases, any incomplete versions and every alias move.</summary>
public sealed record ModelDetails(
    string Name,
    IReadOnlyDictionary<string, int> Aliases,
    IReadOnlyList<ModelVersionSummary> Versions,
    IReadOnlyList<IncompleteVersion> Incomplete,
    IReadOnlyList<AliasMove> History);

/// <summary>An alias and the version it points at.</summary>
public sealed record AliasView(string Model, string Alias, int Version);
