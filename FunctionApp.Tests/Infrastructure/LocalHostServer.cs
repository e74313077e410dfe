using Microsoft.AspNetCore.Builder;
using ServerlessML.LocalHost;

namespace ServerlessML.Tests.Infrastructure;

/// <summary>The local host, started in the test process on a free loopback port and pointed at the test run's Azurite.</summary>
internal sealed class LocalHostServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalHostServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = baseAddress };
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The settings a test run gives the local host, whatever a developer's local.settings.json says: a task
    /// hub of its own, so that no other test's runs reach it.</summary>
    public static Dictionary<string, string?> Settings(string url) => new()
    {
        ["urls"] = url,
        ["AzureFunctionsJobHost:extensions:durableTask:hubName"] = TaskHubs.Unique(),
        ["AzureWebJobsStorage"] = TestEnvironment.Azurite.ConnectionString,
        ["Storage:ConnectionString"] = TestEnvironment.Azurite.ConnectionString,
        ["Serving:AliasRefreshSeconds"] = "0",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    public static async Task<LocalHostServer> StartAsync(IDictionary<string, string?>? overrides = null)
    {
        var url = $"http://127.0.0.1:{Azurite.FreePort()}";
        var settings = Settings(url);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var app = LocalHostApp.Build([], settings);
        await app.StartAsync();
        return new LocalHostServer(app, new Uri(url));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
