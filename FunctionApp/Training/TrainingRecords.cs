using System.Text.Json.Serialization;
using ServerlessML.Data;
using ServerlessML.ML;
using ServerlessML.Storage;

namespace ServerlessML.Training;

/// <summary>The orchestration's input: where the data is and how to train on it, never the data itself.
/// <see cref="Staged"/>: the blob is data from the request's body, staged by <see cref="DatasetStore.StageAsync"/> as it
/// was parsed and checked, to be read as it is; otherwise it is a dataset's upload, CSV or Parquet, parsed and checked
/// (with <see cref="Kinds"/>, when given) by the run.</summary>
public sealed record TrainingRequest(
    string Model,
    string DatasetBlob,
    string Label,
    IReadOnlyDictionary<string, ColumnKind>? Kinds,
    double TestFraction,
    int Seed,
    TrainerOptions Trainer,
    PromotionPolicy Promote = PromotionPolicy.Auto,
    int? Rows = null,
    int Folds = 0,
    SweepRequest? Sweep = null,
    bool Staged = false);

/// <summary>A sweep over <see cref="SweepCandidates"/>: at most <see cref="MaxCandidates"/> of them, and no new ones
/// started once <see cref="BudgetSeconds"/> have passed since the sweep began.</summary>
public sealed record SweepRequest(int MaxCandidates, int BudgetSeconds);

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
    IReadOnlyList<string> Warnings,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CrossValidationSummary? CrossValidation = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SweepOutcome? Sweep = null);

/// <summary>One candidate of a sweep and how it did across the folds.</summary>
public sealed record SweepEntry(TrainerOptions Trainer, CrossValidationSummary CrossValidation);

/// <summary>What a sweep tried, best first by mean cross-validated RMSE, and whether the time budget cut it short.</summary>
public sealed record SweepOutcome(int Planned, int Tried, bool StoppedByBudget, IReadOnlyList<SweepEntry> Leaderboard);

/// <summary>Where a new version went and which aliases now point at it.</summary>
public sealed record PublishedModel(int Version, string ModelBlob, string ManifestBlob, IReadOnlyList<string> Aliases);

/// <summary>The orchestration's custom status: the phase it is in, and how far along it is where that is known
/// (a sweep: "7 of 24 candidates").</summary>
public sealed record TrainingStatus(string Phase, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Progress = null)
{
    public static TrainingStatus CrossValidating(int folds) => new("cross-validating", $"{folds} folds");

    public static TrainingStatus Sweeping(int done, int planned) => new("sweeping", $"{done} of {planned} candidates");

    public static readonly TrainingStatus Preparing = new("preparing");
    public static readonly TrainingStatus Training = new("training");
    public static readonly TrainingStatus Evaluating = new("evaluating");
    public static readonly TrainingStatus Publishing = new("publishing");
    public static readonly TrainingStatus Completed = new("completed");
    public static readonly TrainingStatus Failed = new("failed");
}

public sealed record PrepareDatasetInput(string RunId, TrainingRequest Request);

/// <summary>The prepared splits and what was learned about the data on the way. <see cref="Split"/> names the splits
/// by their content, for a step to take them from its instance's memory instead of their blobs (null when the dataset
/// has no recorded SHA-256).</summary>
public sealed record PreparedDataset(string TrainBlob, string TestBlob, ModelSchema Schema, RowCounts Rows, double TrainingMean, string DatasetSha256, SplitKey? Split = null);

/// <summary>What to train on: the training split's blob, or <see cref="Split"/> where this instance holds its dataset.</summary>
public sealed record TrainModelInput(string RunId, string TrainBlob, TrainerOptions Trainer, int Seed, SplitKey? Split = null);

/// <summary>One fold of a cross-validation of <see cref="Trainer"/> on the training split.</summary>
public sealed record CrossValidateFoldInput(string TrainBlob, TrainerOptions Trainer, int Seed, int Folds, int Fold, SplitKey? Split = null);

/// <summary>What to evaluate; with a run id, a sample of the test predictions is kept for the run to publish.</summary>
public sealed record EvaluateModelInput(string CandidateBlob, string TestBlob, double TrainingMean, string? RunId = null, SplitKey? Split = null);

public sealed record EvaluateChampionInput(string Model, string TestBlob, double TrainingMean, SplitKey? Split = null);

/// <summary>Which run to clean up after, and whether it published (then its staged data is the version's lineage).</summary>
public sealed record CleanupTrainingRunInput(string RunId, string Model, bool Published);

public sealed record PublishModelInput(
    string RunId,
    TrainingRequest Request,
    string CandidateBlob,
    PreparedDataset Prepared,
    RegressionMetrics Metrics,
    PromotionDecision Promotion,
    IReadOnlyList<string> Warnings,
    CrossValidationSummary? CrossValidation = null,
    SweepOutcome? Sweep = null);
