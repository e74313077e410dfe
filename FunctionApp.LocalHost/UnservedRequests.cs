using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Net.Http.Headers;

namespace ServerlessML.LocalHost;

/// <summary>
/// What a request that reaches no endpoint is told: a path nothing serves (404), or a method its path does not take
/// (405, with the methods it does), as problem+json with a detail to act on rather than an empty body.
/// </summary>
public static class UnservedRequests
{
    public static void Describe(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Detail is not null)
        {
            return;
        }

        var request = context.HttpContext.Request;
        var where = $"{request.Method} {request.PathBase}{request.Path}";
        problem.Detail = problem.Status switch
        {
            StatusCodes.Status404NotFound =>
                $"Nothing is served at {where}. The API is under /api (train, predict, datasets, models), and the status of " +
                "runs under /runtime/webhooks/durabletask/instances; see the README.",
            StatusCodes.Status405MethodNotAllowed when context.HttpContext.Response.Headers[HeaderNames.Allow] is { Count: > 0 } allow =>
                $"{request.Path} does not take {request.Method}; it takes {string.Join(", ", allow.ToString())}.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Path} does not take {request.Method}.",
            _ => $"The request {UriHelper.GetDisplayUrl(request)} could not be served.",
        };
    }
}
