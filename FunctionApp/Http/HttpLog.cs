using Microsoft.Extensions.Logging;

namespace ServerlessML.Http;

/// <summary>What the HTTP edge logs, generated at build time.</summary>
internal static partial class HttpLog
{
    [LoggerMessage(2000, LogLevel.Error, "Unhandled exception in {Method} {Path}; correlation id {CorrelationId}")]
    public static partial void UnhandledException(this ILogger logger, Exception exception, string method, string path, string correlationId);

    [LoggerMessage(2001, LogLevel.Information, "Started training run {RunId} of {Model} on {Rows} rows of {Dataset}")]
    public static partial void TrainingStarted(this ILogger logger, string runId, string model, int rows, string dataset);
}
