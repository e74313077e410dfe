using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessML.Storage;

namespace ServerlessML.Housekeeping;

/// <summary>What one sweep did.</summary>
public sealed record SweepResult(int StagedDatasetsDeleted, int WorkingFileSetsDeleted, int InstancesPurged);

/// <summary>
/// Removes what runs leave behind when they cannot clean up after themselves: a run that was terminated, or lost with
/// a process that died, never reaches its last step. A run's files go once the run has ended without publishing, or
/// is unknown to the task hub, and the files are older than <see cref="HousekeepingOptions.WorkingFilesMaxAgeHours"/>;
/// the data a published version was trained on stays, as that version's lineage. Then finished instances older than
/// <see cref="HousekeepingOptions.HistoryRetentionDays"/> are purged.
/// </summary>
public sealed class RunSweeper(
    DatasetStore datasets, TrainingRunStore runs, ModelStore models, IOptions<HousekeepingOptions> options, TimeProvider clock, ILogger<RunSweeper> logger)
{
    private static readonly OrchestrationRuntimeStatus[] s_finished =
        [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated];

    public async Task<SweepResult> SweepAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var oldEnough = now - TimeSpan.FromHours(options.Value.WorkingFilesMaxAgeHours);
        var published = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);

        var staged = 0;
        await foreach (var dataset in datasets.ListStagedAsync(cancellationToken))
        {
            if (dataset.Written <= oldEnough
                && await IsAbandonedAsync(client, dataset.RunId, cancellationToken)
                && !(await PublishedRunsAsync(dataset.Model, published, cancellationToken)).Contains(dataset.RunId))
            {
                await datasets.DeleteAsync(dataset.Path, cancellationToken);
                staged++;
            }
        }

        var working = 0;
        foreach (var (runId, written) in await runs.ListRunsAsync(cancellationToken))
        {
            // Working files are never lineage: once the run is over, they are only left over.
            if (written <= oldEnough && await IsAbandonedAsync(client, runId, cancellationToken, keepCompleted: false))
            {
                await runs.DeleteAsync(runId, cancellationToken);
                working++;
            }
        }

        var purged = await client.PurgeAllInstancesAsync(
            new PurgeInstancesFilter(DateTimeOffset.UnixEpoch, now - TimeSpan.FromDays(options.Value.HistoryRetentionDays), s_finished),
            cancellationToken);
        var result = new SweepResult(staged, working, purged.PurgedInstanceCount);
        logger.Swept(result.StagedDatasetsDeleted, result.WorkingFileSetsDeleted, result.InstancesPurged);
        return result;
    }

    // A run that is still going keeps its files. A completed run keeps its staged data unless asked otherwise (it
    // published, or it would have failed); one that failed, was terminated, or is gone from the task hub does not,
    // unless it published a version (only a published one: an incomplete version needs the run's model, not its data).
    private static async Task<bool> IsAbandonedAsync(DurableTaskClient client, string runId, CancellationToken cancellationToken, bool keepCompleted = true)
    {
        var instance = await client.GetInstanceAsync(runId, getInputsAndOutputs: false, cancellationToken);
        return instance switch
        {
            null => true,
            { RuntimeStatus: OrchestrationRuntimeStatus.Completed } => !keepCompleted,
            _ => instance.IsCompleted,
        };
    }

    private async Task<HashSet<string>> PublishedRunsAsync(string model, Dictionary<string, HashSet<string>> known, CancellationToken cancellationToken)
    {
        if (!known.TryGetValue(model, out var runIds))
        {
            var versions = ResourceName.IsValid(model) ? await models.ListVersionEntriesAsync(model, cancellationToken) : [];
            runIds = versions.Where(v => v.State == ModelVersionState.Published && v.RunId is not null).Select(v => v.RunId!).ToHashSet(StringComparer.Ordinal);
            known[model] = runIds;
        }

        return runIds;
    }
}
