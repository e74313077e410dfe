using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ServerlessML.Http;

namespace ServerlessML.LocalHost.Security;

/// <summary>
/// Checks the key a request carries (the <c>x-functions-key</c> header or <c>?code=</c>) against the level its endpoint
/// needs, as the Functions host does: anonymous needs none; function level a function key or the master key; admin level
/// the master key; the durable API (system level) the durable task key or the master key. A request without the key it
/// needs gets 401. The key that let a request in becomes its principal, with the host's claims, so the audit trail
/// names it. Nothing is checked while no key is set.
/// </summary>
public sealed class KeyAuthorization(RequestDelegate next, IOptions<KeySettings> settings)
{
    private const string HeaderName = "x-functions-key";

    public async Task InvokeAsync(HttpContext context)
    {
        var keys = settings.Value;
        var level = context.GetEndpoint()?.Metadata.GetMetadata<RequiredKey>()?.Level ?? AuthorizationLevel.Anonymous;
        if (!keys.Any || level == AuthorizationLevel.Anonymous)
        {
            await next(context);
            return;
        }

        var presented = context.Request.Headers[HeaderName] is { Count: > 0 } header ? header.ToString() : context.Request.Query["code"].ToString();
        if (Match(keys, presented, level) is { } key)
        {
            context.User = new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(Callers.AuthLevelClaim, key.Level.ToString()), new Claim(Callers.KeyIdClaim, key.Name)], "WebJobsAuthLevel"));
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        await Results.Problem(
            $"{context.Request.Method} {context.Request.Path} needs {Needed(level)}. Send it in the {HeaderName} header or as ?code=." +
            (string.IsNullOrEmpty(presented) ? "" : " The key sent is not one of those."),
            statusCode: StatusCodes.Status401Unauthorized,
            title: "A key is needed").ExecuteAsync(context);
    }

    private static (string Name, AuthorizationLevel Level)? Match(KeySettings keys, string presented, AuthorizationLevel needed)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return null;
        }

        var bytes = Encoding.UTF8.GetBytes(presented);
        foreach (var (name, key, level) in keys.Named())
        {
            // Every key is compared in full, in constant time, whatever it grants.
            var same = CryptographicOperations.FixedTimeEquals(bytes, Encoding.UTF8.GetBytes(key));
            if (same && Grants(level, needed))
            {
                return (name, level);
            }
        }

        return null;
    }

    private static bool Grants(AuthorizationLevel key, AuthorizationLevel needed) => key switch
    {
        AuthorizationLevel.Admin => true,
        AuthorizationLevel.System => needed == AuthorizationLevel.System,
        AuthorizationLevel.Function => needed == AuthorizationLevel.Function,
        _ => false,
    };

    private static string Needed(AuthorizationLevel level) => level switch
    {
        AuthorizationLevel.Admin => "the master key (LocalHost__Keys__Master)",
        AuthorizationLevel.System => "the durable task key (LocalHost__Keys__DurableTask) or the master key",
        _ => "a function key (LocalHost__Keys__Function__{name}) or the master key",
    };
}

/// <summary>Endpoint metadata: the key level an endpoint needs, as its trigger's <c>AuthorizationLevel</c> says.</summary>
public sealed record RequiredKey(AuthorizationLevel Level);
