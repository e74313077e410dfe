namespace ServerlessML.LocalHost;

/// <summary>What the local host logs, generated at build time.</summary>
internal static partial class LocalHostLog
{
    [LoggerMessage(9000, LogLevel.Information, "ServerlessML worker running on the task hub; Ctrl-C stops it")]
    public static partial void WorkerRunning(this ILogger logger);

    [LoggerMessage(9001, LogLevel.Information, "Stopping")]
    public static partial void Stopping(this ILogger logger);

    [LoggerMessage(9002, LogLevel.Information, "{Function}: [{Methods}] {Pattern}")]
    public static partial void HttpFunctionMapped(this ILogger logger, string function, IEnumerable<string> methods, string pattern);

    [LoggerMessage(9003, LogLevel.Information, "{Function}: timer {Schedule}")]
    public static partial void TimerScheduled(this ILogger logger, string function, string schedule);

    [LoggerMessage(9004, LogLevel.Information, "ServerlessML local host listening on {Urls}; Ctrl-C stops it")]
    public static partial void Listening(this ILogger logger, IEnumerable<string> urls);

    [LoggerMessage(9005, LogLevel.Warning,
        "Serving on {Urls} without keys: anyone who reaches it can train, predict and delete. Set LocalHost__Keys__Master and " +
        "LocalHost__Keys__Function__{{name}} (see the README, Keys and roles), or listen on localhost only.")]
    public static partial void OpenWithoutKeys(this ILogger logger, IEnumerable<string> urls);

    [LoggerMessage(9006, LogLevel.Error, "Timer function {Function} failed; it runs again at its next time")]
    public static partial void TimerFailed(this ILogger logger, Exception exception, string function);

    [LoggerMessage(9007, LogLevel.Information, "Handing back activity {WorkItem} of {InstanceId}, which this process did not finish")]
    public static partial void HandingBack(this ILogger logger, string workItem, string instanceId);

    [LoggerMessage(9008, LogLevel.Warning, "Could not renew the lock of activity {WorkItem}; trying again in {Seconds} s")]
    public static partial void RenewFailed(this ILogger logger, Exception exception, string workItem, double seconds);

    [LoggerMessage(9009, LogLevel.Information, "Durable task hub {TaskHub} in Azure Storage, worker {WorkerId}")]
    public static partial void TaskHub(this ILogger logger, string taskHub, string workerId);
}
