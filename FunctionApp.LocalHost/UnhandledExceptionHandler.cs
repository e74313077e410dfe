using Microsoft.AspNetCore.Diagnostics;
using ServerlessML.Http;

namespace ServerlessML.LocalHost;

/// <summary>
/// The local host's way into <see cref="ExceptionProblems"/>, the one place an exception becomes an answer on both
/// hosts: for what the functions throw, and for what the local host's own endpoints (the durable API) throw.
/// </summary>
public sealed class UnhandledExceptionHandler(ExceptionProblems problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        await problems.WriteAsync(httpContext, exception);
        return true;
    }
}
