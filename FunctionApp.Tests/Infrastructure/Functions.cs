using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessML.Http;

namespace ServerlessML.Tests.Infrastructure;

/// <summary>
/// Calls a function class the way the host does (a fresh instance from DI) and runs its result on the exchange; what
/// it throws is answered by <see cref="ExceptionProblems"/>, as the worker middleware and the local host answer it.
/// </summary>
internal static class Functions
{
    public static Task<HttpExchange> CallAsync<TFunction>(IServiceProvider services, HttpExchange exchange, Func<TFunction, Task<IActionResult>> call)
        where TFunction : class =>
        CallAsync(exchange, () => call(ActivatorUtilities.CreateInstance<TFunction>(services)));

    /// <summary>Runs a call of a function instance the test made itself.</summary>
    public static async Task<HttpExchange> CallAsync(HttpExchange exchange, Func<Task<IActionResult>> call)
    {
        IActionResult result;
        try
        {
            result = await call();
        }
        catch (Exception e)
        {
            await new ExceptionProblems(NullLogger<ExceptionProblems>.Instance).WriteAsync(exchange.Context, e);
            return await exchange.ReadAsync();
        }

        return await exchange.ExecuteAsync(result);
    }
}
