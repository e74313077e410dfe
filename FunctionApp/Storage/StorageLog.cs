using Microsoft.Extensions.Logging;

namespace ServerlessML.Storage;

/// <summary>What the stores log, generated at build time (no template parsing or boxing per call).</summary>
internal static partial class StorageLog
{
    [LoggerMessage(1000, LogLevel.Information, "Uploaded dataset {Dataset}: {Bytes} bytes, {Rows} rows")]
    public static partial void DatasetUploaded(this ILogger logger, string dataset, long bytes, long rows);

    [LoggerMessage(1001, LogLevel.Debug, "Wrote {Model} v{Version} for run {RunId}")]
    public static partial void VersionWritten(this ILogger logger, string model, int version, string runId);

    [LoggerMessage(1002, LogLevel.Warning, "{Model} v{Version} of run {RunId} was deleted before it was finished; publishing it as a later version")]
    public static partial void VersionDeletedBeforeFinished(this ILogger logger, string model, int version, string runId);

    [LoggerMessage(1003, LogLevel.Information, "Deleted {Model} v{Version}")]
    public static partial void VersionDeleted(this ILogger logger, string model, int version);

    [LoggerMessage(1004, LogLevel.Information, "Moved {Model} alias {Alias} from v{From} to v{To}: {Reason}")]
    public static partial void AliasMoved(this ILogger logger, string model, string alias, int? from, int to, string reason);
}
