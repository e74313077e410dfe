using ServerlessML.LocalHost.Configuration;

namespace ServerlessML.Tests.LocalHost;

/// <summary>The local host reads host.json and local.settings.json as the Functions host and Core Tools do.</summary>
public sealed class LocalHostConfigurationTests
{
    [Test]
    public void HostJson_ReadsRoutePrefixAndDurableConcurrency()
    {
        var host = HostJson.Parse("""
            {
              // comments are allowed, as in the Functions host
              "version": "2.0",
              "extensions": {
                "http": { "routePrefix": "/v1/" },
                "durableTask": { "MaxConcurrentActivityFunctions": 3, "maxConcurrentOrchestratorFunctions": 7 },
              }
            }
            """);

        Assert.That(host, Is.EqualTo(new HostJson("v1", 3, 7)));
    }

    [Test]
    public void HostJson_WithoutExtensions_HasTheFunctionsHostDefaults()
    {
        Assert.That(HostJson.Parse("""{"version": "2.0"}"""), Is.EqualTo(new HostJson("api", null, null)));
    }

    [Test]
    public void HostJson_EmptyRoutePrefix_ServesAtTheRoot()
    {
        Assert.That(HostJson.Parse("""{"extensions": {"http": {"routePrefix": ""}}}""").RoutePrefix, Is.EqualTo(""));
    }

    [Test]
    public void HostJson_BadConcurrency_IsRefusedNamingTheSetting()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => HostJson.Parse("""{"extensions": {"durableTask": {"maxConcurrentActivityFunctions": 0}}}"""));

        Assert.That(failure!.Message, Does.Contain("maxConcurrentActivityFunctions"));
    }

    [Test]
    public void TheRepositorysHostJson_IsTheOneTheLocalHostReads()
    {
        var host = HostJson.Load(AppContext.BaseDirectory);

        Assert.That(host, Is.EqualTo(new HostJson("api", 2, 10)));
    }

    [Test]
    public void LocalSettings_MapsValuesToConfigurationKeys()
    {
        var settings = LocalSettings.Parse("""
            {
              "IsEncrypted": false,
              "Values": { "AzureWebJobsStorage": "UseDevelopmentStorage=true", "Training__MaxWaitSeconds": "30", "Serving__MaxLoadedModels": 4 }
            }
            """);

        Assert.That(settings, Is.EquivalentTo(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["Training:MaxWaitSeconds"] = "30",
            ["Serving:MaxLoadedModels"] = "4",
        }));
    }
}
