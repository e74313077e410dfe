using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using ServerlessML.Http;

namespace ServerlessML.LocalHost;

/// <summary>
/// Turns an exception no function handled into <c>application/problem+json</c>: a caller's mistake into its 4xx, anything
/// else into a 500 that carries a correlation id, logged under the same id, so a user can hand over the one and a
/// developer find the other.
/// </summary>
public sealed class UnhandledExceptionHandler(IProblemDetailsService problems, ILogger<UnhandledExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails problem;
        if (Problems.For(exception) is { } mistake)
        {
            // A caller's mistake found outside a function (the durable API's query string, a start by name).
            problem = mistake;
        }
        else if (exception is BadHttpRequestException bad)
        {
            problem = new ProblemDetails { Status = bad.StatusCode, Title = "Bad request", Detail = bad.Message };
        }
        else
        {
            var correlationId = Activity.Current?.TraceId.ToString() ?? httpContext.TraceIdentifier;
            logger.LogError(exception, "Unhandled exception in {Method} {Path}; correlation id {CorrelationId}", httpContext.Request.Method, httpContext.Request.Path, correlationId);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "Internal server error",
                Detail = $"The request failed unexpectedly. The log has the details under correlation id {correlationId}.",
                Extensions = { ["correlationId"] = correlationId },
            };
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }
}
