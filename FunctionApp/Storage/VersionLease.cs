using System.Net;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace ServerlessML.Storage;

/// <summary>
/// One model version held exclusively by one caller in any process: a blob lease on the version's <c>model.zip</c>.
/// <see cref="ModelStore"/> describes what is done under it and why that keeps aliases on published versions.
/// </summary>
internal static class VersionLease
{
    // Long enough for the handful of requests done under it, SDK retries included; short enough that a process that
    // dies holding it blocks that one version for half a minute at most.
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);

    // Work under the lease sends its last request this long before the lease can run out, so that a holder that
    // stalled never writes after another caller took the version over.
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan MaxWait = 2 * Duration;

    /// <summary>
    /// Runs <paramref name="work"/> while holding the lease on <paramref name="claim"/>, waiting while another caller
    /// holds it. The work gets the conditions that carry the lease (null when the blob does not exist, so there was
    /// nothing to lease) and a token that is cancelled before the lease could run out; it must use that token.
    /// </summary>
    public static async Task<T> RunAsync<T>(
        BlobClient claim, TimeProvider clock, Func<BlobRequestConditions?, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var lease = claim.GetBlobLeaseClient();
        if (!await AcquireAsync(lease, claim.Name, clock, cancellationToken))
        {
            return await work(null, cancellationToken);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Duration - Margin);
        try
        {
            return await work(new BlobRequestConditions { LeaseId = lease.LeaseId }, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Changing {claim.Name} took longer than its {Duration.TotalSeconds:F0} s lease allows; nothing after that was written. Try again.");
        }
        finally
        {
            await ReleaseAsync(lease);
        }
    }

    // False when the blob does not exist.
    private static async Task<bool> AcquireAsync(BlobLeaseClient lease, string name, TimeProvider clock, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var pause = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            try
            {
                await lease.AcquireAsync(Duration, cancellationToken: cancellationToken);
                return true;
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.BlobNotFound)
            {
                return false;
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.LeaseAlreadyPresent)
            {
                // Held by another caller: it lets go within milliseconds, or its lease runs out within Duration.
                if (clock.GetElapsedTime(started) > MaxWait)
                {
                    throw new TimeoutException($"{name} stayed leased by another caller for {MaxWait.TotalSeconds:F0} s. Try again.");
                }

                await Task.Delay(pause + TimeSpan.FromMilliseconds(Random.Shared.Next(20)), clock, cancellationToken);
                pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 500));
            }
        }
    }

    private static async Task ReleaseAsync(BlobLeaseClient lease)
    {
        try
        {
            await lease.ReleaseAsync(cancellationToken: CancellationToken.None);
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
        {
            // The work deleted the blob, which ended the lease with it.
        }
    }
}
