using Microsoft.Extensions.Configuration.Memory;

namespace ServerlessML.LocalHost.Configuration;

/// <summary>
/// The parts of <c>host.json</c> that apply outside the Functions host: the HTTP route prefix and the durable task hub
/// (its name, concurrency and Azure Storage settings). Read from the same file the Functions host reads, and overridden
/// by the same app settings (<c>AzureFunctionsJobHost__extensions__durableTask__hubName</c>), so that the two hosts
/// cannot disagree.
/// </summary>
public sealed record HostJson(string RoutePrefix, DurableTaskHubSettings DurableTask)
{
    public const string FileName = "host.json";

    /// <summary>The configuration section whose keys override host.json, as under the Functions host.</summary>
    public const string OverrideSection = "AzureFunctionsJobHost";

    /// <summary>The Functions host's defaults, for an app without a host.json.</summary>
    public static HostJson Default { get; } = new("api", new DurableTaskHubSettings());

    /// <param name="directory">Where host.json is.</param>
    /// <param name="appSettings">App settings; their <see cref="OverrideSection"/> overrides host.json.</param>
    public static HostJson Load(string directory, IConfiguration? appSettings = null)
    {
        var path = Path.Combine(directory, FileName);
        var builder = new ConfigurationBuilder();
        if (File.Exists(path))
        {
            // The JSON provider tolerates comments and trailing commas, and its keys are case-insensitive, as the
            // Functions host's reading of host.json is.
            builder.AddJsonFile(path, optional: false, reloadOnChange: false);
        }

        if (appSettings is not null)
        {
            builder.Add(new MemoryConfigurationSource { InitialData = Overrides(appSettings) });
        }

        return From(builder.Build());
    }

    public static HostJson Parse(string json)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        return From(new ConfigurationBuilder().AddJsonStream(stream).Build());
    }

    private static HostJson From(IConfiguration configuration)
    {
        var prefix = configuration["extensions:http:routePrefix"];
        var durable = new DurableTaskHubSettings();
        var section = configuration.GetSection("extensions:durableTask");
        try
        {
            section.Bind(durable);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"host.json: extensions.durableTask has a value of the wrong type: {e.InnerException?.Message ?? e.Message}", e);
        }

        durable.Validate();
        return new HostJson(prefix is null ? Default.RoutePrefix : prefix.Trim('/'), durable);
    }

    private static IEnumerable<KeyValuePair<string, string?>> Overrides(IConfiguration appSettings) =>
        appSettings.GetSection(OverrideSection).AsEnumerable(makePathsRelative: true).Where(p => p.Value is not null);
}
