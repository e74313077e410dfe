using Azure;
using Microsoft.DurableTask;
using ServerlessML.Data;
using ServerlessML.Training;

namespace ServerlessML.Tests.Training;

public sealed class RunFailureTests
{
    // What a 403 from Azurite looks like as the SDK's exception message: the raw dump the run's output used to carry.
    private const string SdkDump =
        "This request is not authorized to perform this operation.\nRequestId:5d3c1f0e-0001\nTime:2025-01-01T00:00:00.000Z\n" +
        "Status: 403 (Server failed to authenticate the request.)\nErrorCode: AuthorizationFailure\n\nContent:\n" +
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthorizationFailure</Code></Error>\n\nHeaders:\n" +
        "Server: Azurite-Blob/3.35.0\nx-ms-request-id: 5d3c1f0e-0001\n";

    [Test]
    public void Describe_StorageUnreachable_SaysSoWithTheAttemptsAndToRunItAgain()
    {
        var failure = TaskFailureDetails.FromException(new StorageUnavailableException("HTTP 503", new RequestFailedException(503, SdkDump)));

        var message = RunFailure.Describe("Publishing", failure, 4, "run-1");

        Assert.That(message, Is.EqualTo("Publishing failed: storage was unreachable after 4 attempts (HTTP 503); run it again."));
    }

    [Test]
    public void Describe_DataError_KeepsItsOwnWords()
    {
        var failure = TaskFailureDetails.FromException(new InvalidDatasetException("Line 4: 'abc' is not a number."));

        var message = RunFailure.Describe("Preparing the dataset", failure, 4, "run-1");

        Assert.That(message, Is.EqualTo("Preparing the dataset failed: Line 4: 'abc' is not a number."));
    }

    [Test]
    public void Describe_AnythingElse_GivesTheRunIdAndNoneOfTheExceptionsText()
    {
        Exception thrown;
        try
        {
            throw new RequestFailedException(403, SdkDump);
        }
        catch (RequestFailedException e)
        {
            thrown = e;
        }

        var message = RunFailure.Describe("Training", TaskFailureDetails.FromException(thrown), 4, "run-1");

        Assert.That(message, Is.EqualTo("Training failed unexpectedly; run it again. If it fails again, the log has the details under run run-1."));
    }
}
