using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace ServerlessML.LocalHost.Functions;

/// <summary>
/// One HTTP-triggered function as the Functions host sees it: its name, its route (without the host.json prefix), its
/// methods (uppercase; none means any), the key level it needs, and the method the host invokes.
/// </summary>
public sealed record HttpFunction(string Name, string Route, IReadOnlyList<string> Methods, AuthorizationLevel AuthLevel, MethodInfo Method)
{
    /// <summary>The local host's route table: every <c>[Function]</c> method whose parameters include an <c>[HttpTrigger]</c>.</summary>
    public static IReadOnlyList<HttpFunction> Discover(Assembly assembly) => Discover(assembly.GetTypes());

    public static IReadOnlyList<HttpFunction> Discover(IEnumerable<Type> types) =>
        types
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(FromMethod)
            .OfType<HttpFunction>()
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();

    private static HttpFunction? FromMethod(MethodInfo method)
    {
        var function = method.GetCustomAttribute<FunctionAttribute>();
        var trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).OfType<HttpTriggerAttribute>().SingleOrDefault();
        if (function is null || trigger is null)
        {
            return null;
        }

        // As the Functions host does: no route means the function's name; no methods means any method.
        var route = string.IsNullOrWhiteSpace(trigger.Route) ? function.Name : trigger.Route.Trim('/');
        var methods = (trigger.Methods ?? []).Select(m => m.ToUpperInvariant()).Distinct().Order(StringComparer.Ordinal).ToList();
        return new HttpFunction(function.Name, route, methods, trigger.AuthLevel, method);
    }

    public override string ToString() => $"{Name}: [{string.Join(",", Methods)}] {Route}";
}
