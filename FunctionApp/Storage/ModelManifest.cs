using ServerlessML.ML;
using ServerlessML.Training;

namespace ServerlessML.Storage;

/// <summary>
/// Everything known about one published model version: enough to serve it, judge it and reproduce it.
/// <see cref="Warnings"/> are its run's warnings (null in manifests written before runs gave any); <see cref="Importance"/>
/// is the permutation importance of its features on the test split, most important first; <see cref="CrossValidation"/>
/// its trainer's k-fold scores on the training split, when asked for; <see cref="Sweep"/> the leaderboard it won.
/// </summary>
public sealed record ModelManifest(
    string Model,
    int Version,
    DateTimeOffset Created,
    string RunId,
    ModelSchema Schema,
    TrainingSettings Training,
    RegressionMetrics Metrics,
    RowCounts Rows,
    DatasetReference Dataset,
    string MLNetVersion,
    IReadOnlyList<string>? Warnings = null,
    IReadOnlyList<FeatureImportance>? Importance = null,
    CrossValidationSummary? CrossValidation = null,
    SweepOutcome? Sweep = null);

/// <summary>
/// The options a model was trained with. With the same dataset bytes they reproduce it exactly: the split is a
/// seeded shuffle defined in this code base and SDCA runs on one thread with the same seed.
/// </summary>
public sealed record TrainingSettings(string Trainer, TrainerOptions Options, double TestFraction, int Seed);

public sealed record RowCounts(int Train, int Test);

/// <summary>The data a model was trained on, and its SHA-256.</summary>
public sealed record DatasetReference(string Blob, string Sha256);

/// <summary>The content of an alias blob: which version a name like <c>production</c> points at.</summary>
public sealed record ModelAlias(int Version);

/// <summary>An alias as stored: the version it points at (null when it does not exist) and the blob's ETag.</summary>
public sealed record AliasState(int? Version, Azure.ETag? ETag);

/// <summary>One line of a model's history: an alias moved, by whom (when the host knows) and why.</summary>
public sealed record AliasMove(DateTimeOffset Time, string Alias, int? From, int To, string? By, string Reason);
