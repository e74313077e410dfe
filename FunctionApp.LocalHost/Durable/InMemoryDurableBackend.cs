using System.Net;
using System.Net.Sockets;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.DurableTask.Worker;
using ServerlessML.LocalHost.Configuration;
using ServerlessML.Training;

namespace ServerlessML.LocalHost.Durable;

/// <summary>
/// The training orchestration and its activities on the in-process Durable Task backend, set up as the Functions
/// host sets up its own: the app's JSON shape for payloads (so status <c>output</c> is camelCase on both hosts) and
/// the concurrency limits from host.json. State lives in memory: it is gone when the local host stops, the models are not.
/// </summary>
public static class InMemoryDurableBackend
{
    public static IServiceCollection AddInMemoryDurableBackend(this IServiceCollection services, HostJson host)
    {
        // The backend serves its workers over gRPC on a second, loopback-only Kestrel; without a port it would pick a
        // random one that may be taken.
        services.AddInMemoryDurableTask(tasks => tasks.AddTrainingWorkflow(), new InMemoryDurableTaskOptions { Port = FreeLoopbackPort() });
        services.Configure<DurableTaskClientOptions>(o => o.DataConverter = ServerlessJson.DataConverter);
        services.Configure<DurableTaskWorkerOptions>(o =>
        {
            o.DataConverter = ServerlessJson.DataConverter;
            o.Concurrency.MaximumConcurrentActivityWorkItems = host.MaxConcurrentActivityFunctions ?? o.Concurrency.MaximumConcurrentActivityWorkItems;
            o.Concurrency.MaximumConcurrentOrchestrationWorkItems = host.MaxConcurrentOrchestratorFunctions ?? o.Concurrency.MaximumConcurrentOrchestrationWorkItems;
        });
        return services;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
