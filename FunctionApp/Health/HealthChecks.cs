using System.Diagnostics;
using Azure;
using Azure.Storage.Blobs;
using Microsoft.DurableTask.Client;
using ServerlessML.Serving;
using ServerlessML.Storage;

namespace ServerlessML.Health;

/// <summary>
/// Checks that blob storage and the durable backend answer, each within <see cref="Bound"/>, and reads the model
/// cache's state. A check that is not answered in time counts as down: a probe must answer quickly however storage is.
/// </summary>
public sealed class HealthChecks(BlobServiceClient storage, ModelCache cache, TimeProvider clock)
{
    public const string Storage = "storage";
    public const string DurableBackend = "durableBackend";

    /// <summary>How long each check may take.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(3);

    public async Task<HealthReport> CheckAsync(DurableTaskClient durable, CancellationToken cancellationToken)
    {
        // Both at once, so the whole answer is bounded by one check's time.
        var blob = RunAsync(ct => storage.GetBlobContainerClient(BlobContainers.Models).ExistsAsync(ct), cancellationToken);
        var hub = RunAsync(ct => QueryTaskHubAsync(durable, ct), cancellationToken);
        var checks = new Dictionary<string, DependencyCheck> { [Storage] = await blob, [DurableBackend] = await hub };
        var loaded = cache.Loaded().Select(m => new CachedModel(m.Model, m.Version)).ToList();
        return new HealthReport(
            checks.Values.All(c => c.Status == HealthReport.Healthy) ? HealthReport.Healthy : HealthReport.Unhealthy,
            checks,
            new ModelCacheState(loaded.Count, loaded));
    }

    private async Task<DependencyCheck> RunAsync<T>(Func<CancellationToken, Task<T>> check, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(Bound);
        try
        {
            // WaitAsync as well as the token: a client that does not watch its token still cannot hold the answer.
            await check(bound.Token).WaitAsync(Bound, clock, cancellationToken);
            return new DependencyCheck(HealthReport.Healthy, Elapsed(started));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return new DependencyCheck(HealthReport.Unhealthy, Elapsed(started), Reason(e));
        }
    }

    // Any query of instances goes to the task hub (its instances table on Azure Storage) through the same client the
    // app starts runs with, on either host and on any backend; one page of one instance is enough to know it answers.
    private static async Task<bool> QueryTaskHubAsync(DurableTaskClient durable, CancellationToken cancellationToken)
    {
        await foreach (var _ in durable.GetAllInstancesAsync(new OrchestrationQuery { PageSize = 1 }).AsPages().WithCancellation(cancellationToken))
        {
            break;
        }

        return true;
    }

    private long Elapsed(long started) => (long)clock.GetElapsedTime(started).TotalMilliseconds;

    // Only a few fixed words: an exception's message can name the account, the endpoint or the request.
    private static string Reason(Exception exception) =>
        exception is TimeoutException or OperationCanceledException ? $"no answer within {Bound.TotalSeconds:0} s"
        : StorageFaults.IsUnreachable(exception, out var reason) ? reason
        : exception is RequestFailedException { Status: > 0 } refused ? $"refused: HTTP {refused.Status}{(refused.ErrorCode is { } code ? $" {code}" : "")}"
        : Unwrap(exception) is Grpc.Core.RpcException rpc ? $"unavailable: {rpc.StatusCode}"
        : exception.GetType().Name;

    private static Exception Unwrap(Exception exception) => exception is AggregateException { InnerException: { } inner } ? Unwrap(inner) : exception;
}
