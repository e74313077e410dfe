using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace ServerlessML.Http;

/// <summary>
/// Who made a request, for the audit trail: only what was authenticated, never what a caller merely claims. That is
/// the principal the host authenticated (the local host names the key that was used, as <c>key:{name}</c>), or the
/// user App Service authentication (Easy Auth) signed in: its <c>X-MS-CLIENT-PRINCIPAL-NAME</c> header is trusted only
/// where the platform says authentication is on (<c>WEBSITE_AUTH_ENABLED</c>), since it then sets the header itself.
/// </summary>
public sealed class Callers(IConfiguration configuration)
{
    /// <summary>The claim the Functions host (and the local host) puts the name of the key used on.</summary>
    public const string KeyIdClaim = "http://schemas.microsoft.com/2017/07/functions/claims/keyid";

    /// <summary>The claim the Functions host (and the local host) puts the authorization level the key gave on.</summary>
    public const string AuthLevelClaim = "http://schemas.microsoft.com/2017/07/functions/claims/authlevel";

    private const string EasyAuthName = "X-MS-CLIENT-PRINCIPAL-NAME";

    /// <summary>The caller's authenticated name, or null when nothing authenticated it.</summary>
    public string? Name(HttpRequest request)
    {
        foreach (var identity in request.HttpContext.User.Identities.Where(i => i.IsAuthenticated))
        {
            if (identity.FindFirst(KeyIdClaim)?.Value is { Length: > 0 } key)
            {
                return $"key:{key}";
            }

            if (identity.Name is { Length: > 0 } name)
            {
                return name;
            }
        }

        return string.Equals(configuration["WEBSITE_AUTH_ENABLED"], "true", StringComparison.OrdinalIgnoreCase)
            && request.Headers[EasyAuthName] is { Count: > 0 } header
            ? header.ToString()
            : null;
    }
}
