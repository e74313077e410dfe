using Microsoft.Extensions.Logging;

namespace ServerlessML.Serving;

/// <summary>What serving logs (loads, evictions, storage outages), generated at build time.</summary>
internal static partial class ServingLog
{
    [LoggerMessage(4000, LogLevel.Warning,
        "Storage is unreachable ({Reason}): predictions of {Model} without a version are answered from memory by v{Version}, production as read {Age:F0} s ago, for up to {MaxStaleSeconds} s")]
    public static partial void AnsweringFromMemory(this ILogger logger, string reason, string model, int? version, double age, int maxStaleSeconds);

    [LoggerMessage(4001, LogLevel.Warning,
        "Storage is unreachable ({Reason}) and production of {Model} was last read {Age:F0} s ago, longer than Serving:MaxStaleSeconds ({MaxStaleSeconds}) allows: predictions of it without a version answer 503 until storage is back")]
    public static partial void ProductionTooStale(this ILogger logger, string reason, string model, double age, int maxStaleSeconds);

    [LoggerMessage(4002, LogLevel.Information, "Loaded {Model} v{Version} for serving")]
    public static partial void Loaded(this ILogger logger, string model, int version);

    [LoggerMessage(4003, LogLevel.Warning, "Storage is unreachable ({Reason}): predictions of {Model} that need storage answer 503 until it is back")]
    public static partial void StorageUnreachable(this ILogger logger, string reason, string model);

    [LoggerMessage(4004, LogLevel.Information, "Storage answers again: predictions of {Model} are served as usual")]
    public static partial void StorageAnswersAgain(this ILogger logger, string model);

    [LoggerMessage(4005, LogLevel.Information, "Unloaded {Model} v{Version}, the least recently used")]
    public static partial void Unloaded(this ILogger logger, string model, int version);
}
