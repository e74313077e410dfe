using ServerlessML.Tests;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessML.Http;
using ServerlessML.LocalHost.Durable;
using ServerlessML.LocalHost.Security;

namespace ServerlessML.Tests.Infrastructure;

/// <summary>The app's services as a host registers them, pointed at the test run's Azurite.</summary>
internal static class AppServices
{
    public static IConfiguration Configuration(IDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = TestEnvironment.Azurite.ConnectionString,
            ["Serving:AliasRefreshSeconds"] = "0",
            [PublicBaseUrl.Setting] = "http://localhost:7071",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }

    public static IServiceCollection Add(IServiceCollection services, IDictionary<string, string?>? overrides = null)
    {
        services.AddSingleton(Configuration(overrides));
        services.AddLogging();
        services.AddServerlessML();
        // The local host's links, on the base URL the tests' requests are made to.
        services.AddSingleton<PublicBaseUrl>();
        services.AddOptions<KeySettings>();
        services.AddSingleton<IDurableManagementLinks, LocalManagementLinks>();
        services.Configure<DurableTaskClientOptions>(o => o.DataConverter = ServerlessJson.DataConverter);
        services.Configure<DurableTaskWorkerOptions>(o => o.DataConverter = ServerlessJson.DataConverter);
        return services;
    }

    public static ServiceProvider Build(IDictionary<string, string?>? overrides = null) =>
        Add(new ServiceCollection(), overrides).BuildServiceProvider();
}
