using Microsoft.Extensions.Configuration;
using ServerlessML.LocalHost.Configuration;

namespace ServerlessML.Tests.LocalHost;

/// <summary>The local host reads host.json and local.settings.json as the Functions host and Core Tools do.</summary>
public sealed class LocalHostConfigurationTests
{
    [Test]
    public void HostJson_ReadsRoutePrefixAndTheDurableTaskHub()
    {
        var host = HostJson.Parse("""
            {
              // comments are allowed, as in the Functions host
              "version": "2.0",
              "extensions": {
                "http": { "routePrefix": "/v1/" },
                "durableTask": {
                  "HubName": "Models", "MaxConcurrentActivityFunctions": 3, "maxConcurrentOrchestratorFunctions": 7,
                  "storageProvider": { "connectionName": "Durable", "partitionCount": 2, "workItemQueueVisibilityTimeout": "00:00:45", "useTablePartitionManagement": true },
                },
              }
            }
            """);

        Assert.That(host.RoutePrefix, Is.EqualTo("v1"));
        Assert.That(host.DurableTask, Is.EqualTo(new DurableTaskHubSettings
        {
            HubName = "Models",
            MaxConcurrentActivityFunctions = 3,
            MaxConcurrentOrchestratorFunctions = 7,
            StorageProvider = new AzureStorageProviderSettings
            {
                ConnectionName = "Durable",
                PartitionCount = 2,
                WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(45),
                UseTablePartitionManagement = true,
            },
        }));
    }

    [Test]
    public void HostJson_WithoutExtensions_HasTheFunctionsHostDefaults()
    {
        var host = HostJson.Parse("""{"version": "2.0"}""");

        Assert.That(host, Is.EqualTo(HostJson.Default));
        Assert.That(host.DurableTask.HubName, Is.EqualTo("TestHubName"));
        Assert.That(host.DurableTask.StorageProvider.ConnectionName, Is.EqualTo("AzureWebJobsStorage"));
    }

    [Test]
    public void HostJson_EmptyRoutePrefix_ServesAtTheRoot()
    {
        Assert.That(HostJson.Parse("""{"extensions": {"http": {"routePrefix": ""}}}""").RoutePrefix, Is.EqualTo(""));
    }

    [TestCase("""{"maxConcurrentActivityFunctions": 0}""", "maxConcurrentActivityFunctions")]
    [TestCase("""{"hubName": "no-dashes"}""", "hubName")]
    [TestCase("""{"hubName": "ab"}""", "hubName")]
    [TestCase("""{"storageProvider": {"partitionCount": 17}}""", "partitionCount")]
    [TestCase("""{"storageProvider": {"workItemQueueVisibilityTimeout": "-00:00:01"}}""", "workItemQueueVisibilityTimeout")]
    [TestCase("""{"storageProvider": {"maxQueuePollingInterval": "soon"}}""", "durableTask")]
    public void HostJson_BadDurableSetting_IsRefusedNamingTheSetting(string durableTask, string named)
    {
        var failure = Assert.Throws<InvalidOperationException>(() => HostJson.Parse($$$"""{"extensions": {"durableTask": {{{durableTask}}}}}"""));

        Assert.That(failure!.Message, Does.Contain(named));
    }

    [Test]
    public void HostJson_AppSettingsOverrideItAsUnderTheFunctionsHost()
    {
        var directory = Directory.CreateTempSubdirectory();
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, HostJson.FileName), """{"extensions": {"durableTask": {"hubName": "FromFile", "maxConcurrentActivityFunctions": 2}}}""");
            var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureFunctionsJobHost:extensions:durableTask:hubName"] = "FromSettings",
            }).Build();

            var host = HostJson.Load(directory.FullName, settings);

            Assert.That(host.DurableTask.HubName, Is.EqualTo("FromSettings"));
            Assert.That(host.DurableTask.MaxConcurrentActivityFunctions, Is.EqualTo(2));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Test]
    public void TheRepositorysHostJson_IsTheOneTheLocalHostReads()
    {
        var host = HostJson.Load(AppContext.BaseDirectory);

        Assert.That(host.RoutePrefix, Is.Empty);
        Assert.That(host.DurableTask.HubName, Is.EqualTo("ServerlessML"));
        Assert.That(host.DurableTask.MaxConcurrentActivityFunctions, Is.EqualTo(2));
        Assert.That(host.DurableTask.MaxConcurrentOrchestratorFunctions, Is.EqualTo(10));
        Assert.That(host.DurableTask.StorageProvider.WorkItemQueueVisibilityTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
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
