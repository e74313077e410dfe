using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace ServerlessML.Training;

/// <summary>What a training run logs, from its orchestrator and its activities, generated at build time.</summary>
internal static partial class TrainingLog
{
    [LoggerMessage(3000, LogLevel.Information,
        "Prepared {Rows} rows of {Dataset} in {ParseSeconds:F3} s (download and parse, overlapped) + {SplitSeconds:F3} s (split and write): {Train} to train, {Test} to test")]
    public static partial void Prepared(this ILogger logger, int rows, string dataset, double parseSeconds, double splitSeconds, int train, int test);

    [LoggerMessage(3001, LogLevel.Information,
        "Trained run {RunId} on {Rows} rows in {FitSeconds:F3} s (reading the split {ReadSeconds:F3} s, saving {SaveSeconds:F3} s); candidate is {Bytes} bytes")]
    public static partial void Trained(this ILogger logger, string runId, int rows, double fitSeconds, double readSeconds, double saveSeconds, int bytes);

    [LoggerMessage(3002, LogLevel.Information, "Evaluated {CandidateBlob} on {Rows} rows in {EvaluateSeconds:F3} s: R² {RSquared}")]
    public static partial void Evaluated(this ILogger logger, string candidateBlob, int rows, double evaluateSeconds, double? rSquared);

    [LoggerMessage(3003, LogLevel.Information, "Published {Model} v{Version} in {PublishSeconds:F3} s; aliases now on it: {Aliases}")]
    public static partial void Published(this ILogger logger, string model, int version, double publishSeconds, IReadOnlyList<string> aliases);

    [LoggerMessage(3004, LogLevel.Information, "Run {RunId} published {Model} v{Version} with R² {RSquared} and {Warnings} warning(s)")]
    public static partial void RunPublished(this ILogger logger, string runId, string model, int version, double? rSquared, int warnings);

    [LoggerMessage(3005, LogLevel.Warning, "Could not delete the files of run {RunId}: {Failure}")]
    public static partial void CleanupFailed(this ILogger logger, string runId, TaskFailureDetails failure);

    [LoggerMessage(3006, LogLevel.Warning, "Run {RunId}: {Activity} failed: {Failure}\n{StackTrace}")]
    public static partial void ActivityFailed(this ILogger logger, string runId, string activity, TaskFailureDetails failure, string? stackTrace);

    [LoggerMessage(3007, LogLevel.Information, "Fold {Fold} of {Folds} of {Trainer} on {TrainBlob} in {Seconds:F3} s: RMSE {Rmse} (the split taken from {Source})")]
    public static partial void FoldScored(this ILogger logger, int fold, int folds, string trainer, string trainBlob, double seconds, double? rmse, string source);

    [LoggerMessage(3008, LogLevel.Information, "{Activity} took {Data} from this instance's memory (the prepared-data cache): not read from blob storage or parsed again")]
    public static partial void DataFromMemory(this ILogger logger, string activity, string data);

    [LoggerMessage(3012, LogLevel.Information, "{Activity} read {Data} from blob storage: this instance's prepared-data cache does not hold it")]
    public static partial void DataFromStorage(this ILogger logger, string activity, string data);

    [LoggerMessage(3009, LogLevel.Information,
        "Keeping {Rows} rows of the dataset with SHA-256 {Sha256} in memory for the next steps and runs: {Megabytes:F1} MB; the prepared-data cache holds {HeldMegabytes:F1} MB of {BudgetMegabytes} MB")]
    public static partial void DataKept(this ILogger logger, int rows, string sha256, double megabytes, double heldMegabytes, int budgetMegabytes);

    [LoggerMessage(3010, LogLevel.Information,
        "Not keeping the dataset with SHA-256 {Sha256} in memory: its {Megabytes:F1} MB are more than the prepared-data cache's {BudgetMegabytes} MB (Training__DataCacheMegabytes)")]
    public static partial void DataTooBigToKeep(this ILogger logger, string sha256, double megabytes, int budgetMegabytes);

    [LoggerMessage(3011, LogLevel.Information, "Dropped the dataset with SHA-256 {Sha256} ({Megabytes:F1} MB) from memory, the least recently used, to make room")]
    public static partial void DataDropped(this ILogger logger, string sha256, double megabytes);
}
