using Microsoft.DurableTask;
using ServerlessML.Data;

namespace ServerlessML.Training;

/// <summary>
/// What a user reads when a step of a run has failed for good, in the app's own words: a data error as it was written
/// for them, storage out of reach as what to do about it, anything else with the run id the log knows it by. Never the
/// SDK's or ML.NET's text (XML bodies, headers, request ids, stack traces): that goes to the log.
/// </summary>
public static class RunFailure
{
    public static string Describe(string phase, TaskFailureDetails failure, int attempts, string runId) =>
        failure.IsCausedBy<StorageUnavailableException>()
            ? $"{phase} failed: storage was unreachable after {attempts} attempts ({failure.ErrorMessage}); run it again."
            : IsWrittenForUsers(failure)
                ? $"{phase} failed: {failure.ErrorMessage}"
                : $"{phase} failed unexpectedly; run it again. If it fails again, the log has the details under run {runId}.";

    // The app's own exceptions, whose messages say what to fix. TimeoutException is VersionLease's (a version's lease
    // held by another caller too long), which names the blob and says to try again.
    private static bool IsWrittenForUsers(TaskFailureDetails failure) =>
        failure.IsCausedBy<InvalidDatasetException>()
        || failure.IsCausedBy<InvalidRequestException>()
        || failure.IsCausedBy<NotFoundException>()
        || failure.IsCausedBy<ConflictException>()
        || failure.IsCausedBy<PreconditionFailedException>()
        || failure.IsCausedBy<TimeoutException>();
}
