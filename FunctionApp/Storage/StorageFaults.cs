using System.Diagnostics.CodeAnalysis;
using System.Net.Http;
using System.Net.Sockets;
using Azure;

namespace ServerlessML.Storage;

/// <summary>
/// Tells storage being out of reach (no answer, a timeout, a 5xx) from storage answering (404, 409, 412, 403…), and
/// says why in a few words, whatever shape the SDK gave it: an <see cref="AggregateException"/> of its retries, a
/// <see cref="RequestFailedException"/> with status 0 around the socket error, a cancelled network timeout.
/// </summary>
public static class StorageFaults
{
    /// <summary>True when <paramref name="exception"/> says storage could not be reached; <paramref name="reason"/>
    /// is then a few words such as "connection refused" or "HTTP 503".</summary>
    public static bool IsUnreachable(Exception exception, [NotNullWhen(true)] out string? reason)
    {
        reason = Reason(exception);
        return reason is not null;
    }

    private static string? Reason(Exception exception) => exception switch
    {
        StorageUnavailableException unavailable => unavailable.Message,

        // The SDK's retries gave up: the last attempt says most about how things stand now.
        AggregateException aggregate => aggregate.InnerExceptions.Select(Reason).LastOrDefault(r => r is not null),

        // Status 0: no response at all; the transport's exception inside says why.
        RequestFailedException { Status: 0 } failed => (failed.InnerException is { } inner ? Reason(inner) : null) ?? "no response",
        RequestFailedException { Status: 408 or 429 or >= 500 } failed => $"HTTP {failed.Status}",
        RequestFailedException => null,

        SocketException socket => Describe(socket.SocketErrorCode),
        HttpRequestException request => (request.InnerException is { } inner ? Reason(inner) : null) ?? Describe(request.HttpRequestError),

        // The SDK's network timeout cancels the request. (A TimeoutException is not the SDK's: VersionLease throws one
        // when another caller holds a lease, which is no outage.)
        OperationCanceledException => "timed out",
        IOException io => (io.InnerException is { } inner ? Reason(inner) : null) ?? "connection lost",
        _ => null,
    };

    private static string Describe(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.TimedOut => "timed out",
        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown => "connection lost",
        SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => "host not found",
        SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.NetworkDown or SocketError.HostDown => "network unreachable",
        SocketError.OperationAborted => "timed out",
        _ => "network error",
    };

    private static string Describe(HttpRequestError error) => error switch
    {
        HttpRequestError.NameResolutionError => "host not found",
        HttpRequestError.ResponseEnded => "connection lost",
        _ => "network error",
    };
}
