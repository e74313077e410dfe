using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessML.Http;

namespace ServerlessML.Tests.Http;

/// <summary>The one place an exception becomes an answer: a caller's mistake its 4xx, storage out of reach a 503, the rest a 500 with a correlation id.</summary>
public sealed class ExceptionProblemsTests
{
    [Test]
    public async Task CallersMistake_IsItsProblem()
    {
        var (status, problem, _) = await WriteAsync(new InvalidRequestException("'label' is not a column."));

        Assert.That(status, Is.EqualTo(400));
        Assert.That(problem.GetProperty("detail").GetString(), Is.EqualTo("'label' is not a column."));
    }

    [Test]
    public async Task WrappedMistake_IsAnsweredByWhatItWraps()
    {
        var (status, _, _) = await WriteAsync(new AggregateException(new NotFoundException("There is no model 'x'.")));

        Assert.That(status, Is.EqualTo(404));
    }

    [Test]
    public async Task StorageOutOfReach_Is503WithRetryAfter()
    {
        var (status, problem, context) = await WriteAsync(new StorageUnavailableException("connection refused"));

        Assert.That(status, Is.EqualTo(503));
        Assert.That(context.Response.Headers.RetryAfter.ToString(), Is.EqualTo("5"));
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("connection refused"));
    }

    [Test]
    public async Task StorageSdkGivingUp_Is503()
    {
        var refused = new AggregateException(new Azure.RequestFailedException("Connection refused (127.0.0.1:10000)", new HttpRequestException("Connection refused")));

        var (status, problem, _) = await WriteAsync(refused);

        Assert.That(status, Is.EqualTo(503));
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("try again"));
    }

    [Test]
    public async Task AnythingElse_Is500WithACorrelationIdAndNoInternals()
    {
        var (status, problem, context) = await WriteAsync(new InvalidOperationException("secret internals <Error><Code>AuthorizationFailure</Code>"));

        var correlationId = problem.GetProperty("correlationId").GetString();
        Assert.That(status, Is.EqualTo(500));
        Assert.That(context.Response.ContentType, Does.StartWith(Problems.ContentType));
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain(correlationId));
        Assert.That(problem.ToString(), Does.Not.Contain("secret").And.Not.Contain("AuthorizationFailure"));
    }

    private static async Task<(int Status, JsonElement Problem, HttpContext Context)> WriteAsync(Exception exception)
    {
        var context = new DefaultHttpContext { Response = { Body = new MemoryStream() } };

        await new ExceptionProblems(NullLogger<ExceptionProblems>.Instance).WriteAsync(context, exception);

        context.Response.Body.Position = 0;
        return (context.Response.StatusCode, JsonDocument.Parse(context.Response.Body).RootElement, context);
    }
}
