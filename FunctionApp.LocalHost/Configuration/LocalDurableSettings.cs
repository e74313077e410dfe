namespace ServerlessML.LocalHost.Configuration;

/// <summary>
/// Durable settings the local host alone reads (app settings <c>LocalHost__…</c>): what the Functions host tunes for
/// Azure and a laptop wants otherwise. host.json still wins where it sets the same thing.
/// </summary>
public sealed class LocalDurableSettings
{
    public const string Section = "LocalHost";

    /// <summary>The longest an idle queue goes unpolled (the Azure Storage provider's default, 30 s, would delay a new
    /// run by up to that); host.json's <c>storageProvider.maxQueuePollingInterval</c> overrides it.</summary>
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a partition stays with a process that stopped renewing it: after a crash, the delay before
    /// another process takes over that process's orchestrations.</summary>
    public TimeSpan LeaseInterval { get; set; } = TimeSpan.FromSeconds(30);
}
