using Microsoft.Extensions.Logging;

namespace ServerlessML.Housekeeping;

/// <summary>What housekeeping logs, generated at build time.</summary>
internal static partial class HousekeepingLog
{
    [LoggerMessage(5000, LogLevel.Information,
        "Housekeeping: deleted {Staged} staged datasets and the working files of {Working} runs, purged {Purged} finished instances")]
    public static partial void Swept(this ILogger logger, int staged, int working, int purged);
}
