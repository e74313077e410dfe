using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace ServerlessML.Tests.Infrastructure;

/// <summary>Calls a function class the way the host does (a fresh instance from DI) and runs its result on the exchange.</summary>
internal static class Functions
{
    public static async Task<HttpExchange> CallAsync<TFunction>(IServiceProvider services, HttpExchange exchange, Func<TFunction, Task<IActionResult>> call)
        where TFunction : class =>
        await exchange.ExecuteAsync(await call(ActivatorUtilities.CreateInstance<TFunction>(services)));
}
