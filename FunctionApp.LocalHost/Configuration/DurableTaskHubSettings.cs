using System.Text.RegularExpressions;

namespace ServerlessML.LocalHost.Configuration;

/// <summary>
/// <c>extensions.durableTask</c> of host.json, with the Durable Functions extension's names and defaults: the task hub
/// both hosts share, how many work items run at once, and the Azure Storage provider's settings.
/// </summary>
public sealed partial record DurableTaskHubSettings
{
    /// <summary>What the Durable Functions extension calls a hub when nothing names it, running locally.</summary>
    public const string DefaultHubName = "TestHubName";

    public string HubName { get; set; } = DefaultHubName;

    public int? MaxConcurrentActivityFunctions { get; set; }

    public int? MaxConcurrentOrchestratorFunctions { get; set; }

    public AzureStorageProviderSettings StorageProvider { get; set; } = new();

    internal void Validate()
    {
        if (!HubNamePattern().IsMatch(HubName))
        {
            throw new InvalidOperationException(
                $"host.json: durableTask.hubName '{HubName}' is not a valid task hub name: use 3 to 45 letters and digits, starting with a letter.");
        }

        Positive(MaxConcurrentActivityFunctions, "maxConcurrentActivityFunctions");
        Positive(MaxConcurrentOrchestratorFunctions, "maxConcurrentOrchestratorFunctions");
        StorageProvider.Validate();
    }

    internal static void Positive(int? value, string name)
    {
        if (value is <= 0)
        {
            throw new InvalidOperationException($"host.json: {name} must be a positive whole number; it is {value}.");
        }
    }

    internal static void Positive(TimeSpan? value, string name)
    {
        if (value is { } span && span <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"host.json: {name} must be a positive time span such as \"00:00:30\"; it is {span}.");
        }
    }

    // The Azure Storage provider's rule: queue, table and container names are derived from it.
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,44}$")]
    private static partial Regex HubNamePattern();
}

/// <summary><c>extensions.durableTask.storageProvider</c> for the Azure Storage provider; null means the provider's default.</summary>
public sealed record AzureStorageProviderSettings
{
    /// <summary>The app setting that holds the storage connection (a connection string, or <c>{name}__accountName</c>).</summary>
    public string ConnectionName { get; set; } = "AzureWebJobsStorage";

    public int? PartitionCount { get; set; }

    public TimeSpan? ControlQueueVisibilityTimeout { get; set; }

    public TimeSpan? WorkItemQueueVisibilityTimeout { get; set; }

    public TimeSpan? MaxQueuePollingInterval { get; set; }

    /// <summary>Partition leases in a table rather than in blobs; both hosts must agree on it for one task hub.</summary>
    public bool? UseTablePartitionManagement { get; set; }

    internal void Validate()
    {
        if (PartitionCount is < 1 or > 16)
        {
            throw new InvalidOperationException($"host.json: storageProvider.partitionCount must be between 1 and 16; it is {PartitionCount}.");
        }

        DurableTaskHubSettings.Positive(ControlQueueVisibilityTimeout, "storageProvider.controlQueueVisibilityTimeout");
        DurableTaskHubSettings.Positive(WorkItemQueueVisibilityTimeout, "storageProvider.workItemQueueVisibilityTimeout");
        DurableTaskHubSettings.Positive(MaxQueuePollingInterval, "storageProvider.maxQueuePollingInterval");
    }
}
