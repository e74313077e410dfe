using System.Net;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;

namespace ServerlessML.LocalHost.Durable;

/// <summary>
/// The Durable Task SDK's gRPC sidecar (<see cref="TaskHubGrpcServer"/>) over the Azure Storage backend, on a
/// loopback-only HTTP/2 endpoint of its own: the worker and the client of this process talk to it as an isolated
/// worker talks to the Functions host. It runs in a small host of its own, whose lifetime this one drives.
/// </summary>
public sealed class DurableSidecar(
    IPEndPoint endpoint, IOrchestrationService dispatched, AzureStorageOrchestrationService service, AzureStorageOrchestrationServiceSettings settings, ILoggerFactory loggers)
    : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger<DurableSidecar>();
    private WebApplication? _server;

    /// <summary>The task hub this process works on.</summary>
    public string TaskHub => settings.TaskHubName;

    /// <summary>The id this process's leases and work items carry.</summary>
    public string WorkerId => settings.WorkerId;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Creates the hub's queues, tables and containers if this is the first process on it. The service itself is
        // started by the sidecar once the worker connects; starting it here too would start it twice.
        try
        {
            await service.CreateIfNotExistsAsync();
        }
        catch (Exception e) when (e is AggregateException or Azure.RequestFailedException or HttpRequestException)
        {
            throw new InvalidOperationException(
                $"The durable task hub '{TaskHub}' cannot be reached in its storage account ({Root(e).Message}). " +
                "Is Azurite running? ./run.sh starts it; otherwise check AzureWebJobsStorage.", e);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        // The process's own host handles Ctrl-C and SIGTERM; a second console lifetime would swallow them.
        builder.Services.AddSingleton<IHostLifetime, DrivenLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(endpoint, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(dispatched);
        builder.Services.AddSingleton<IOrchestrationServiceClient>(service);
        builder.Services.AddSingleton<TaskHubGrpcServer>();

        var server = builder.Build();
        server.MapGrpcService<TaskHubGrpcServer>();
        await server.StartAsync(cancellationToken);
        _server = server;
        _logger.TaskHub(TaskHub, WorkerId);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The worker has stopped by now (it was started after this). Give back the partitions and whatever work this
        // process still holds, so that the next process picks it up within seconds rather than after the lease expires.
        // A process stopped before its worker connected never started the service, and has nothing to give back.
        if (dispatched is RenewingOrchestrationService { Started: true } renewing)
        {
            await renewing.AbandonHeldActivitiesAsync();
            await service.StopAsync(isForced: true);
        }

        if (_server is not null)
        {
            await _server.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }
    }

    private static Exception Root(Exception e)
    {
        while (e.InnerException is { } inner)
        {
            e = inner;
        }

        return e;
    }

    /// <summary>A lifetime that waits for nothing: the sidecar's host starts and stops when told to.</summary>
    private sealed class DrivenLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
