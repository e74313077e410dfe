using ServerlessML.LocalHost.Security;

namespace ServerlessML.LocalHost.Functions;

/// <summary>Maps each HTTP function to an endpoint at <c>/{routePrefix}/{route}</c>, as the Functions host serves it.</summary>
public static class HttpFunctionEndpoints
{
    public static IEndpointRouteBuilder MapHttpFunctions(this IEndpointRouteBuilder endpoints, IEnumerable<HttpFunction> functions, string routePrefix)
    {
        var services = endpoints.ServiceProvider.GetRequiredService<IServiceProviderIsService>();
        foreach (var function in functions)
        {
            var invoker = HttpFunctionInvoker.Create(function, services);
            var pattern = routePrefix.Length == 0 ? $"/{function.Route}" : $"/{routePrefix}/{function.Route}";
            var endpoint = function.Methods.Count == 0
                ? endpoints.Map(pattern, invoker.InvokeAsync)
                : endpoints.MapMethods(pattern, function.Methods, invoker.InvokeAsync);
            endpoint.WithName(function.Name).WithDisplayName($"Function {function.Name}").WithMetadata(function, new RequiredKey(function.AuthLevel));
        }

        return endpoints;
    }

    /// <summary>The function endpoints an app serves, with the pattern and methods routing matches them by.</summary>
    public static IReadOnlyList<MappedFunction> Mapped(IEndpointRouteBuilder endpoints) =>
        endpoints.DataSources
            .SelectMany(s => s.Endpoints)
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpFunction>() is not null)
            .Select(e => new MappedFunction(
                e.Metadata.GetMetadata<HttpFunction>()!,
                e.RoutePattern.RawText ?? "",
                e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []))
            .ToList();
}

/// <summary>A function as routing serves it.</summary>
public sealed record MappedFunction(HttpFunction Function, string Pattern, IReadOnlyList<string> Methods);
