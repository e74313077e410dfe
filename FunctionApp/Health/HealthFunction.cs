using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using ServerlessML.Http;

namespace ServerlessML.Health;

/// <summary>
/// <c>GET /api/health</c>: 200 when blob storage and the durable backend answer, 503 when either does not, with the
/// model cache's state. It needs a function key, like every read of the API: the answer names the models being served.
/// </summary>
public sealed class HealthFunction(HealthChecks checks)
{
    [Function("Health")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/health")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        QueryOptions.Check(request);
        var report = await checks.CheckAsync(client, cancellationToken);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return new JsonResult(report) { StatusCode = report.IsHealthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable };
    }
}
