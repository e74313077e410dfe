using System.Net;
using System.Net.Sockets;
using Azure.Identity;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using ServerlessML.LocalHost.Configuration;
using ServerlessML.Training;

namespace ServerlessML.LocalHost.Durable;

/// <summary>
/// The durable engine of the local host: the Durable Task Framework's Azure Storage backend (the one Durable Functions
/// uses by default) on the task hub host.json names, in the storage account the app settings name. The training
/// workflow runs on it through the Durable Task SDK's gRPC sidecar, the way the Functions host runs an isolated
/// worker's orchestrations, so state survives a crash and several processes can share one task hub.
/// </summary>
public static class DurableEngine
{
    /// <summary>How often a running activity's lock is renewed, as a share of its visibility timeout.</summary>
    private const int RenewalsPerVisibilityTimeout = 3;

    public static IServiceCollection AddDurableEngine(this IServiceCollection services, DurableTaskHubSettings hub, LocalDurableSettings local)
    {
        services.AddSingleton(sp => Settings(hub, local, sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => new AzureStorageOrchestrationService(sp.GetRequiredService<AzureStorageOrchestrationServiceSettings>()));
        services.AddSingleton<IOrchestrationServiceClient>(sp => sp.GetRequiredService<AzureStorageOrchestrationService>());

        // Registered before the worker so that it stops after it: the worker lets go of its work first, then the
        // service gives up its partitions and abandons what it still holds, so the next start finds it at once.
        var sidecar = new IPEndPoint(IPAddress.Loopback, FreeLoopbackPort());
        services.AddSingleton(sp => new DurableSidecar(
            sidecar,
            new RenewingOrchestrationService(
                sp.GetRequiredService<AzureStorageOrchestrationService>(),
                sp.GetRequiredService<AzureStorageOrchestrationServiceSettings>().WorkItemQueueVisibilityTimeout / RenewalsPerVisibilityTimeout,
                sp.GetRequiredService<ILogger<RenewingOrchestrationService>>()),
            sp.GetRequiredService<AzureStorageOrchestrationService>(),
            sp.GetRequiredService<AzureStorageOrchestrationServiceSettings>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddHostedService(sp => sp.GetRequiredService<DurableSidecar>());

        var address = $"http://{sidecar}";
        services.AddDurableTaskWorker(worker =>
        {
            worker.UseGrpc(address);
            worker.AddTasks(tasks => tasks.AddTrainingWorkflow());
        });
        services.AddDurableTaskClient(client =>
        {
            client.UseGrpc(address);
            client.RegisterDirectly();
        });

        // As the Functions host sets up its own: the app's JSON shape for payloads (so status output is camelCase on
        // both hosts) and the concurrency limits from host.json.
        services.Configure<DurableTaskClientOptions>(o => o.DataConverter = ServerlessJson.DataConverter);
        services.Configure<DurableTaskWorkerOptions>(o =>
        {
            o.DataConverter = ServerlessJson.DataConverter;
            o.Concurrency.MaximumConcurrentActivityWorkItems = hub.MaxConcurrentActivityFunctions ?? o.Concurrency.MaximumConcurrentActivityWorkItems;
            o.Concurrency.MaximumConcurrentOrchestrationWorkItems = hub.MaxConcurrentOrchestratorFunctions ?? o.Concurrency.MaximumConcurrentOrchestrationWorkItems;
        });
        return services;
    }

    private static AzureStorageOrchestrationServiceSettings Settings(DurableTaskHubSettings hub, LocalDurableSettings local, IConfiguration configuration, ILoggerFactory loggers)
    {
        var storage = hub.StorageProvider;
        var defaults = new AzureStorageOrchestrationServiceSettings();
        return new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = hub.HubName,
            StorageAccountClientProvider = ClientProvider(configuration, storage.ConnectionName),
            // Lease owners are told apart by worker id; the default, the machine name, is the same for every process here.
            WorkerId = $"{Environment.MachineName}-{Environment.ProcessId}",
            PartitionCount = storage.PartitionCount ?? defaults.PartitionCount,
            ControlQueueVisibilityTimeout = storage.ControlQueueVisibilityTimeout ?? defaults.ControlQueueVisibilityTimeout,
            WorkItemQueueVisibilityTimeout = storage.WorkItemQueueVisibilityTimeout ?? defaults.WorkItemQueueVisibilityTimeout,
            MaxQueuePollingInterval = storage.MaxQueuePollingInterval ?? local.MaxQueuePollingInterval,
            UseTablePartitionManagement = storage.UseTablePartitionManagement ?? defaults.UseTablePartitionManagement,
            LeaseInterval = local.LeaseInterval,
            LeaseRenewInterval = local.LeaseInterval / 3,
            LeaseAcquireInterval = local.LeaseInterval / 3,
            MaxConcurrentTaskActivityWorkItems = hub.MaxConcurrentActivityFunctions ?? defaults.MaxConcurrentTaskActivityWorkItems,
            MaxConcurrentTaskOrchestrationWorkItems = hub.MaxConcurrentOrchestratorFunctions ?? defaults.MaxConcurrentTaskOrchestrationWorkItems,
            LoggerFactory = loggers,
        };
    }

    // As the Functions host reads a connection: a connection string, or {name}__accountName (or the service URIs)
    // for a managed identity.
    private static StorageAccountClientProvider ClientProvider(IConfiguration configuration, string name)
    {
        var connection = configuration.GetSection(name);
        if (!string.IsNullOrWhiteSpace(connection.Value))
        {
            return new StorageAccountClientProvider(connection.Value);
        }

        if (connection["accountName"] is { Length: > 0 } account)
        {
            return new StorageAccountClientProvider(account, new DefaultAzureCredential());
        }

        if (Uri.TryCreate(connection["blobServiceUri"], UriKind.Absolute, out var blob)
            && Uri.TryCreate(connection["queueServiceUri"], UriKind.Absolute, out var queue)
            && Uri.TryCreate(connection["tableServiceUri"], UriKind.Absolute, out var table))
        {
            return new StorageAccountClientProvider(blob, queue, table, new DefaultAzureCredential());
        }

        throw new InvalidOperationException(
            $"The durable task hub needs a storage connection in the app setting '{name}' (host.json durableTask.storageProvider.connectionName): " +
            $"a connection string (UseDevelopmentStorage=true for Azurite), or {name}__accountName for a managed identity.");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
