using Microsoft.Azure.Functions.Worker;
using ServerlessML.Storage;

namespace ServerlessML.Training;

/// <summary>
/// Activity: deletes a finished run's working files, whether it succeeded or not, and the data staged for it unless a
/// version was published from it, whose manifest names that data as its lineage.
/// </summary>
public sealed class CleanupTrainingRun(TrainingRunStore runs, DatasetStore datasets, ModelStore models)
{
    [Function(nameof(CleanupTrainingRun))]
    public async Task<bool> RunAsync([ActivityTrigger] CleanupTrainingRunInput input, CancellationToken cancellationToken)
    {
        await runs.DeleteAsync(input.RunId, cancellationToken);

        // Only the run's own staged path, never the dataset it was asked to train on: that may be a named one
        // (datasets/{name}.csv), which is the user's to delete.
        if (!input.Published && !await AnyVersionFromAsync(input, cancellationToken))
        {
            await datasets.DeleteStagedAsync(input.Model, input.RunId, cancellationToken);
        }

        return true;
    }

    // A publish that wrote the manifest and then failed (moving an alias) still made a version.
    private async Task<bool> AnyVersionFromAsync(CleanupTrainingRunInput input, CancellationToken cancellationToken) =>
        (await models.ListVersionEntriesAsync(input.Model, cancellationToken)).Any(v => v.RunId == input.RunId && v.State == ModelVersionState.Published);
}
