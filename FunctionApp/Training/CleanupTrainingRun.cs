using Microsoft.Azure.Functions.Worker;
using ServerlessML.Storage;

namespace ServerlessML.Training;

/// <summary>Activity: deletes a finished run's working files, whether it succeeded or not.</summary>
public sealed class CleanupTrainingRun(TrainingRunStore runs)
{
    [Function(nameof(CleanupTrainingRun))]
    public async Task<bool> RunAsync([ActivityTrigger] string runId, CancellationToken cancellationToken)
    {
        await runs.DeleteAsync(runId, cancellationToken);
        return true;
    }
}
