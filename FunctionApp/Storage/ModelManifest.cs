using ServerlessML.ML;

namespace ServerlessML.Storage;

/// <summary>Everything known about one published model version: enough to serve it, judge it and reproduce it.</summary>
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
    string MLNetVersion);

/// <summary>The options a model was trained with.</summary>
public sealed record TrainingSettings(string Trainer, TrainerOptions Options, double TestFraction, int Seed);

public sealed record RowCounts(int Train, int Test);

/// <summary>The staged data a model was trained on, and its SHA-256.</summary>
public sealed record DatasetReference(string Blob, string Sha256);

/// <summary>The content of an alias blob: which version a name like <c>production</c> points at.</summary>
public sealed record ModelAlias(int Version);
