using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace ServerlessML.LocalHost.Functions;

/// <summary>
/// Calls one HTTP function the way the Functions worker does: a new instance of its class per invocation, made by
/// <see cref="ActivatorUtilities"/> from the request's services; parameters bound by type, attribute and route name;
/// the returned <see cref="IActionResult"/> executed by MVC. All reflection happens once, in <see cref="Create"/>:
/// a request runs a compiled delegate.
/// </summary>
public sealed class HttpFunctionInvoker
{
    private const string Binds =
        "The local host binds an [HttpTrigger] HttpRequest, a [DurableClient] DurableTaskClient, a CancellationToken, " +
        "and the function's route parameters by name as string, int or int?.";

    private static readonly ActionDescriptor s_action = new();
    private static readonly MethodInfo s_fromResult = typeof(Task).GetMethod(nameof(Task.FromResult))!.MakeGenericMethod(typeof(IActionResult));

    private readonly string _name;
    private readonly ObjectFactory? _create;
    private readonly Func<object?, HttpContext, Task<IActionResult>> _call;

    private HttpFunctionInvoker(string name, ObjectFactory? create, Func<object?, HttpContext, Task<IActionResult>> call)
    {
        _name = name;
        _create = create;
        _call = call;
    }

    /// <summary>Builds the invoker, or explains why the local host cannot call this function.</summary>
    /// <exception cref="InvalidOperationException">A parameter, constructor dependency or return type the local host cannot provide.</exception>
    public static HttpFunctionInvoker Create(HttpFunction function, IServiceProviderIsService services)
    {
        var method = function.Method;
        var type = method.DeclaringType!;
        var where = $"{type.FullName}.{method.Name} (function '{function.Name}')";
        var route = RoutePatternFactory.Parse(function.Route).Parameters.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

        var instance = Expression.Parameter(typeof(object), "instance");
        var context = Expression.Parameter(typeof(HttpContext), "context");
        var arguments = method.GetParameters().Select(p => Bind(p, context, route, where));
        var call = Expression.Call(method.IsStatic ? null : Expression.Convert(instance, type), method, arguments);
        var body = AsTaskOfResult(call, where);
        var compiled = Expression.Lambda<Func<object?, HttpContext, Task<IActionResult>>>(body, instance, context).Compile();

        ObjectFactory? create = null;
        if (!method.IsStatic)
        {
            CheckConstructor(type, services, where);
            create = ActivatorUtilities.CreateFactory(type, Type.EmptyTypes);
        }

        return new HttpFunctionInvoker(function.Name, create, compiled);
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var instance = _create?.Invoke(context.RequestServices, null);
        var result = await _call(instance, context) ?? throw new InvalidOperationException($"Function '{_name}' returned no result.");
        await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), s_action));
    }

    private static Expression Bind(ParameterInfo parameter, ParameterExpression context, Dictionary<string, RoutePatternParameterPart> route, string where)
    {
        var type = parameter.ParameterType;
        if (parameter.GetCustomAttribute<HttpTriggerAttribute>() is not null)
        {
            return type == typeof(HttpRequest)
                ? Expression.Property(context, nameof(HttpContext.Request))
                : throw Unsupported(where, parameter, "its [HttpTrigger] is not an HttpRequest");
        }

        if (parameter.GetCustomAttribute<DurableClientAttribute>() is not null)
        {
            return type == typeof(DurableTaskClient)
                ? Expression.Call(typeof(HttpFunctionInvoker), nameof(DurableClient), null, context)
                : throw Unsupported(where, parameter, "its [DurableClient] is not a DurableTaskClient");
        }

        if (type == typeof(CancellationToken))
        {
            return Expression.Property(context, nameof(HttpContext.RequestAborted));
        }

        if (parameter.Name is { } name && route.TryGetValue(name, out var part))
        {
            var reader = type == typeof(string) ? nameof(RouteString)
                : type == typeof(int) ? nameof(RouteInt)
                : type == typeof(int?) ? nameof(RouteNullableInt)
                : throw Unsupported(where, parameter, $"route parameter '{part.Name}' cannot be read as {type.Name}");
            return Expression.Call(typeof(HttpFunctionInvoker), reader, null, context, Expression.Constant(part.Name));
        }

        throw Unsupported(where, parameter, "it is neither a binding the local host knows nor a parameter of the route");
    }

    private static MethodCallExpression AsTaskOfResult(MethodCallExpression call, string where)
    {
        var type = call.Type;
        if (type == typeof(Task<IActionResult>))
        {
            return call;
        }

        if (typeof(IActionResult).IsAssignableFrom(type))
        {
            return Expression.Call(s_fromResult, Expression.Convert(call, typeof(IActionResult)));
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>) && typeof(IActionResult).IsAssignableFrom(type.GenericTypeArguments[0]))
        {
            return Expression.Call(typeof(HttpFunctionInvoker), nameof(AwaitResultAsync), [type.GenericTypeArguments[0]], call);
        }

        throw new InvalidOperationException($"The local host cannot call {where}: it returns {type.Name}; it must return IActionResult or Task<IActionResult>.");
    }

    // A class with one constructor is checked now, so a missing registration fails at startup rather than on the first request.
    private static void CheckConstructor(Type type, IServiceProviderIsService services, string where)
    {
        var constructors = type.GetConstructors();
        if (constructors.Length != 1)
        {
            return;
        }

        var missing = constructors[0].GetParameters().Where(p => !p.HasDefaultValue && !services.IsService(p.ParameterType)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"The local host cannot create {type.FullName} for {where}: no service is registered for " +
                $"{string.Join(", ", missing.Select(p => $"'{p.Name}' ({p.ParameterType.Name})"))}. Register it in AddServerlessML, which both hosts call.");
        }
    }

    private static InvalidOperationException Unsupported(string where, ParameterInfo parameter, string reason) =>
        new($"The local host cannot call {where}: parameter '{parameter.Name}' ({parameter.ParameterType.Name}) cannot be bound, because {reason}. {Binds}");

    private static DurableTaskClient DurableClient(HttpContext context) => context.RequestServices.GetRequiredService<DurableTaskClient>();

    private static string? RouteString(HttpContext context, string name) => context.Request.RouteValues[name]?.ToString();

    private static int? RouteNullableInt(HttpContext context, string name) =>
        RouteString(context, name) is { } value ? ParseInt(name, value) : null;

    private static int RouteInt(HttpContext context, string name) =>
        RouteNullableInt(context, name) ?? throw new BadHttpRequestException($"The route has no value for '{name}'.");

    private static int ParseInt(string name, string value) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new BadHttpRequestException($"Route value '{name}' must be a whole number; got '{value}'.");

    private static async Task<IActionResult> AwaitResultAsync<TResult>(Task<TResult> task)
        where TResult : IActionResult => await task;
}
