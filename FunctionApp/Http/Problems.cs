using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ServerlessML.Data;

namespace ServerlessML.Http;

/// <summary>RFC 9457 problem responses (<c>application/problem+json</c>) whose detail says what to fix.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    public static ObjectResult Create(int status, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        return new ObjectResult(problem) { StatusCode = status, ContentTypes = { ContentType } };
    }

    /// <summary>Runs a function body, answering the caller's mistakes with their problem; anything else surfaces as a 500.</summary>
    public static async Task<IActionResult> HandleAsync(Func<Task<IActionResult>> handle)
    {
        try
        {
            return await handle();
        }
        catch (Exception e) when (TryCreate(e, out var problem))
        {
            return problem;
        }
    }

    /// <summary>The problem for an exception that describes a caller's mistake (400, 404, 409, 412, 413, 415…) or storage
    /// out of reach (503); null for anything else, which should surface as a 500.</summary>
    public static ProblemDetails? For(Exception exception) => exception switch
    {
        ProblemException problem => Details(problem.Status, problem.Title, problem.Message),
        InvalidDatasetException dataset => Details(StatusCodes.Status400BadRequest, "The dataset cannot be trained on", dataset.Message),
        InvalidRequestException request => Details(StatusCodes.Status400BadRequest, "The request is not valid", request.Message),
        LimitExceededException limit => Details(StatusCodes.Status413PayloadTooLarge, "Over a limit", limit.Message),
        NotFoundException missing => Details(StatusCodes.Status404NotFound, "Not found", missing.Message),
        ConflictException conflict => Details(StatusCodes.Status409Conflict, "Conflict", conflict.Message),
        PreconditionFailedException changed => Details(StatusCodes.Status412PreconditionFailed, "Changed by someone else", changed.Message),
        StorageUnavailableException unavailable => Details(StatusCodes.Status503ServiceUnavailable, "Storage is unreachable", $"Storage is unreachable ({unavailable.Message}); try again in a few seconds."),
        _ => null,
    };

    private static bool TryCreate(Exception exception, out IActionResult result)
    {
        result = For(exception) is { } problem ? new ObjectResult(problem) { StatusCode = problem.Status, ContentTypes = { ContentType } } : null!;
        if (exception is StorageUnavailableException)
        {
            result = new HeaderResult(result, "Retry-After", "5");
        }

        return result is not null;
    }

    private static ProblemDetails Details(int status, string title, string detail) => new() { Status = status, Title = title, Detail = detail };
}
