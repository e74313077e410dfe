using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace ServerlessML.LocalHost;

/// <summary>
/// Turns an exception no function handled into a 500 <c>application/problem+json</c> that carries a correlation id,
/// and logs the exception under the same id, so a user can hand over the one and a developer find the other.
/// </summary>
public sealed class UnhandledExceptionHandler(IProblemDetailsService problems, ILogger<UnhandledExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails problem;
        if (exception is BadHttpRequestException bad)
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
