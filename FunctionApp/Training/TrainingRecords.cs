using ServerlessML.Data;
using ServerlessML.ML;
using ServerlessML.Storage;

namespace ServerlessML.Training;

/// <summary>The orchestration's input: where the data is and how to train on it, never the data itself.</summary>
public sealed record TrainingRequest(
    string Model,
    string DatasetBlob,
    string Label,
    IReadOnlyDictionary<string, ColumnKind>? Kinds,
    double TestFraction,
    int Seed,
    TrainerOptions Trainer,
    PromotionPolicy Promote = PromotionPolicy.Auto,
    int? Rows = null);

/// <summary>
/// The orchestration's output once the model is published; <see cref="Score"/> is R², as the original Lambda
/// returned. <see cref="Warnings"/> are what to know before trusting the model (<see cref="TrainingWarnings"/>).
/// </summary>
public sealed record TrainingResult(
    string Model,
    int Version,
    RegressionMetrics Metrics,
    double? Score,
    RowCounts Rows,
    PublishedModel Published,
    PromotionDecision Promotion,
    IReadOnlyList<string> Warnings);

/// <summary>Where a new version went and which aliases now point at it.</summary>
public sealed record PublishedModel(int Version, string ModelBlob, string ManifestBlob, IReadOnlyList<string> Aliases);

/// <summary>The orchestration's custom status: the phase it is in.</summary>
public sealed record TrainingStatus(string Phase)
{
    public static readonly TrainingStatus Preparing = new("preparing");
    public static readonly TrainingStatus Training = new("training");
    public static readonly TrainingStatus Evaluating = new("evaluating");
    public static readonly TrainingStatus Publishing = new("publishing");
    public static readonly TrainingStatus Completed = new("completed");
    public static readonly TrainingStatus Failed = new("failed");
}

public sealed record PrepareDatasetInput(string RunId, TrainingRequest Request);

/// <summary>The prepared splits and what was learned about the data on the way.</summary>
public sealed record PreparedDataset(string TrainBlob, string TestBlob, ModelSchema Schema, RowCounts Rows, double TrainingMean, string DatasetSha256);

public sealed record TrainModelInput(string RunId, string TrainBlob, TrainerOptions Trainer, int Seed);

/// <summary>What to evaluate; with a run id, a sample of the test predictions is kept for the run to publish.</summary>
public sealed record EvaluateModelInput(string CandidateBlob, string TestBlob, double TrainingMean, string? RunId = null);

public sealed record EvaluateChampionInput(string Model, string TestBlob, double TrainingMean);

/// <summary>Which run to clean up after, and whether it published (then its staged data is the version's lineage).</summary>
public sealed record CleanupTrainingRunInput(string RunId, string Model, bool Published);

public sealed record PublishModelInput(
    string RunId,
    TrainingRequest Request,
    string CandidateBlob,
    PreparedDataset Prepared,
    RegressionMetrics Metrics,
    PromotionDecision Promotion,
    IReadOnlyList<string> Warnings);
