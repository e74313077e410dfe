using System.Net.Http;
using System.Net.Sockets;
using Azure;
using ServerlessML.Storage;

namespace ServerlessML.Tests.Storage;

public sealed class StorageFaultsTests
{
    private static IEnumerable<TestCaseData> Unreachable()
    {
        var refused = new RequestFailedException(0, "Connection refused (127.0.0.1:10000)", new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused", new SocketException((int)SocketError.ConnectionRefused)));
        yield return new TestCaseData(refused, "connection refused").SetName("IsUnreachable_NoResponse_NamesTheSocketError");
        yield return new TestCaseData(new AggregateException("Retry failed after 3 tries.", refused, refused, refused), "connection refused").SetName("IsUnreachable_RetriesGaveUp_NamesTheErrorOfTheLastAttempt");
        yield return new TestCaseData(new RequestFailedException(503, "Status: 503 (Server busy)\n<?xml …"), "HTTP 503").SetName("IsUnreachable_5xx_IsItsStatus");
        yield return new TestCaseData(new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout of 0:01:40."), "timed out").SetName("IsUnreachable_NetworkTimeout_TimedOut");
        yield return new TestCaseData(new IOException("Unable to read data from the transport connection", new SocketException((int)SocketError.ConnectionReset)), "connection lost").SetName("IsUnreachable_ConnectionResetMidStream_ConnectionLost");
    }

    [TestCaseSource(nameof(Unreachable))]
    public void IsUnreachable_Outage_SaysWhyInAFewWords(Exception exception, string expected)
    {
        var unreachable = StorageFaults.IsUnreachable(exception, out var reason);

        Assert.That(unreachable, Is.True);
        Assert.That(reason, Is.EqualTo(expected));
    }

    [TestCase(404)]
    [TestCase(409)]
    [TestCase(412)]
    [TestCase(403)]
    public void IsUnreachable_StorageAnswered_IsNot(int status)
    {
        var unreachable = StorageFaults.IsUnreachable(new RequestFailedException(status, "answered"), out var reason);

        Assert.That(unreachable, Is.False);
        Assert.That(reason, Is.Null);
    }

    [Test]
    public void IsUnreachable_ALeaseHeldTooLong_IsNot()
    {
        var unreachable = StorageFaults.IsUnreachable(new TimeoutException("models/m/v1/model.zip stayed leased by another caller for 30 s. Try again."), out _);

        Assert.That(unreachable, Is.False);
    }
}
