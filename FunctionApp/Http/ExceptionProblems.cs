using System.Diagnostics;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;
using ServerlessML.Storage;

namespace ServerlessML.Http;

/// <summary>
/// The one place an exception becomes an HTTP answer, for both hosts: worker middleware around every HTTP function
/// under the Functions host, and the local host's exception handler. A caller's mistake (or storage out of reach)
/// becomes its problem (<see cref="Problems.For"/>); anything else a 500 problem with a correlation id, logged with the
/// exception under the same id, so that a user can hand over the one and a developer find the other. The functions
/// themselves only throw.
/// </summary>
public sealed class ExceptionProblems(ILogger<ExceptionProblems> logger) : IFunctionsWorkerMiddleware
{
    // A detail quotes what the caller sent; it reads as written ('label', not \u0027label\u0027) in a JSON answer.
    private static readonly JsonSerializerOptions s_json = new(ServerlessJson.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static bool AppliesTo(FunctionContext context) =>
        context.FunctionDefinition.InputBindings.Values.Any(b => string.Equals(b.Type, "httpTrigger", StringComparison.OrdinalIgnoreCase));

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (context.GetHttpContext() is { Response.HasStarted: false } http)
        {
            await WriteAsync(http, e);
        }
    }

    /// <summary>Answers the request with the problem for <paramref name="exception"/>.</summary>
    public async Task WriteAsync(HttpContext http, Exception exception)
    {
        var problem = Problem(http, exception);
        var response = http.Response;
        response.Clear();
        response.StatusCode = problem.Status!.Value;
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            response.Headers.RetryAfter = "5";
        }

        response.ContentType = Problems.ContentType;
        await JsonSerializer.SerializeAsync(response.Body, problem, s_json, http.RequestAborted);
    }

    private ProblemDetails Problem(HttpContext http, Exception exception)
    {
        // The worker may hand the function's exception over wrapped; what it says is the innermost one it wraps.
        for (var e = exception; e is not null; e = e is AggregateException or TargetInvocationException ? e.InnerException : null)
        {
            if (Problems.For(e) is { } problem)
            {
                return problem;
            }

            if (e is BadHttpRequestException bad)
            {
                return new ProblemDetails { Status = bad.StatusCode, Title = "Bad request", Detail = bad.Message };
            }
        }

        // Storage out of reach reached a route that does not say so itself: it is an outage, not a bug.
        if (StorageFaults.IsUnreachable(exception, out var reason))
        {
            return Problems.For(new StorageUnavailableException(reason))!;
        }

        var correlationId = Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;
        logger.UnhandledException(exception, http.Request.Method, http.Request.Path, correlationId);
        return new ProblemDetails
        {
            Status = StatusCodes.Status500InternalServerError,
            Title = "Internal server error",
            Detail = $"The request failed unexpectedly. The log has the details under correlation id {correlationId}.",
            Extensions = { ["correlationId"] = correlationId },
        };
    }
}
