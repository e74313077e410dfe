using System.ComponentModel.DataAnnotations;

namespace ServerlessML.Housekeeping;

/// <summary>What the housekeeping timer removes, and when (configuration section <c>Housekeeping</c>).</summary>
public sealed class HousekeepingOptions
{
    public const string Section = "Housekeeping";

    /// <summary>A run's staged data and working files are removed once the run has ended without publishing (or is
    /// gone from the task hub) and they are this old. Younger ones may belong to a run that is just starting.</summary>
    [Range(0, 24 * 365)]
    public int WorkingFilesMaxAgeHours { get; set; } = 24;

    /// <summary>Finished orchestrations (completed, failed, terminated) created longer ago than this are purged from
    /// the task hub, history and all.</summary>
    [Range(0, 3650)]
    public int HistoryRetentionDays { get; set; } = 30;
}
