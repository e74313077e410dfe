using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ServerlessML.LocalHost.Security;

/// <summary>
/// The base URL the local host's links (<c>Location</c>, the durable management links) are built on: the one
/// configured (<c>LocalHost__BaseUrl</c>, for a host behind a proxy or on a public address), or else the request's
/// <c>Host</c> only when it names an address the server listens on, and the first of those otherwise. A <c>Host</c>
/// header a client made up is never echoed back into a link.
/// </summary>
public sealed class PublicBaseUrl(IConfiguration configuration, IServer? server = null)
{
    public const string Setting = "LocalHost:BaseUrl";

    public string For(HttpRequest request)
    {
        if (Configured() is { } configured)
        {
            return configured;
        }

        var listening = Listening();
        var asked = $"{request.Scheme}://{request.Host}";
        if (listening.Any(address => SameAuthority(address, request.Scheme, request.Host)))
        {
            return asked + request.PathBase;
        }

        return (listening.FirstOrDefault()?.GetLeftPart(UriPartial.Authority) ?? "http://localhost") + request.PathBase;
    }

    /// <summary>The configured base URL, checked: an absolute http(s) URL without a query.</summary>
    public string? Configured()
    {
        var value = configuration[Setting];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Query.Length == 0
            ? value.TrimEnd('/')
            : throw new InvalidOperationException($"{Setting.Replace(":", "__", StringComparison.Ordinal)} must be an absolute http(s) URL such as https://ml.example.com; it is '{value}'.");
    }

    // The addresses Kestrel listens on, with a wildcard host (all interfaces) read as localhost.
    private List<Uri> Listening() =>
        (server?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
            .Select(a => a.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal)
                .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal).Replace("://[::]", "://localhost", StringComparison.Ordinal))
            .Select(a => Uri.TryCreate(a, UriKind.Absolute, out var uri) ? uri : null)
            .OfType<Uri>()
            .ToList();

    private static bool SameAuthority(Uri address, string scheme, HostString host) =>
        string.Equals(address.Scheme, scheme, StringComparison.OrdinalIgnoreCase)
        && host.Port == address.Port
        && (string.Equals(host.Host, address.Host, StringComparison.OrdinalIgnoreCase) || (IsLoopback(host.Host) && IsLoopback(address.Host)));

    private static bool IsLoopback(string host) => host is "localhost" or "127.0.0.1" or "[::1]" or "::1";
}
