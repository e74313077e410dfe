using System.Collections.Concurrent;
using DurableTask.Core;

namespace ServerlessML.LocalHost.Durable;

/// <summary>
/// The orchestration service as the sidecar's dispatchers see it, with what the Durable Task Framework's own
/// dispatchers do and the sidecar's do not: an activity's lock is renewed while it runs. Without that, an activity
/// that runs longer than the work-item visibility timeout (a large training) would be handed to a second worker while
/// the first still runs it; with it, the timeout can be short, and an activity of a process that died is run again soon.
/// </summary>
public sealed class RenewingOrchestrationService(IOrchestrationService inner, TimeSpan renewEvery, ILogger<RenewingOrchestrationService> logger)
    : IOrchestrationService
{
    private readonly ConcurrentDictionary<TaskActivityWorkItem, Renewal> _held = new(ReferenceEqualityComparer.Instance);

    public int TaskOrchestrationDispatcherCount => inner.TaskOrchestrationDispatcherCount;

    public int MaxConcurrentTaskOrchestrationWorkItems => inner.MaxConcurrentTaskOrchestrationWorkItems;

    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => inner.EventBehaviourForContinueAsNew;

    public int TaskActivityDispatcherCount => inner.TaskActivityDispatcherCount;

    public int MaxConcurrentTaskActivityWorkItems => inner.MaxConcurrentTaskActivityWorkItems;

    public async Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        var workItem = await inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);
        if (workItem is not null)
        {
            _held[workItem] = new Renewal(workItem, inner, renewEvery, logger);
        }

        return workItem!;
    }

    public async Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        await StopRenewingAsync(workItem);
        await inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);
    }

    public async Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
    {
        await StopRenewingAsync(workItem);
        await inner.AbandonTaskActivityWorkItemAsync(workItem);
    }

    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => inner.RenewTaskActivityWorkItemLockAsync(workItem);

    /// <summary>On a clean stop: gives back every activity this process still runs, to be run again by the next one.</summary>
    public async Task AbandonHeldActivitiesAsync()
    {
        foreach (var workItem in _held.Keys.ToList())
        {
            logger.HandingBack(workItem.Id, workItem.TaskMessage.OrchestrationInstance.InstanceId);
            await AbandonTaskActivityWorkItemAsync(workItem);
        }
    }

    public Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);

    public Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState) =>
        inner.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);

    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.AbandonTaskOrchestrationWorkItemAsync(workItem);

    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);

    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) => inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => inner.GetDelayInSecondsAfterOnProcessException(exception);

    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => inner.GetDelayInSecondsAfterOnFetchException(exception);

    /// <summary>Whether the sidecar has started the service (it does once the worker connects); a service never started
    /// has nothing to give back on a stop.</summary>
    public bool Started { get; private set; }

    public async Task StartAsync()
    {
        await inner.StartAsync();
        Started = true;
    }

    // The sidecar stops the service on its way out whether or not it ever started it; the backend fails on a stop
    // before a start, and in the sidecar's handler that failure would end the process.
    public Task StopAsync() => Started ? inner.StopAsync() : Task.CompletedTask;

    public Task StopAsync(bool isForced) => Started ? inner.StopAsync(isForced) : Task.CompletedTask;

    public Task CreateAsync() => inner.CreateAsync();

    public Task CreateAsync(bool recreateInstanceStore) => inner.CreateAsync(recreateInstanceStore);

    public Task CreateIfNotExistsAsync() => inner.CreateIfNotExistsAsync();

    public Task DeleteAsync() => inner.DeleteAsync();

    public Task DeleteAsync(bool deleteInstanceStore) => inner.DeleteAsync(deleteInstanceStore);

    // A renewal in flight changes the message's receipt; completing or abandoning must wait for it, never race it.
    private async Task StopRenewingAsync(TaskActivityWorkItem workItem)
    {
        if (_held.TryRemove(workItem, out var renewal))
        {
            await renewal.DisposeAsync();
        }
    }

    /// <summary>Renews one activity's lock until disposed.</summary>
    private sealed class Renewal : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public Renewal(TaskActivityWorkItem workItem, IOrchestrationService service, TimeSpan every, ILogger logger) =>
            _loop = RenewAsync(workItem, service, every, logger, _stop.Token);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            _stop.Dispose();
        }

        private static async Task RenewAsync(TaskActivityWorkItem workItem, IOrchestrationService service, TimeSpan every, ILogger logger, CancellationToken stop)
        {
            using var timer = new PeriodicTimer(every);
            try
            {
                while (await timer.WaitForNextTickAsync(stop))
                {
                    try
                    {
                        await service.RenewTaskActivityWorkItemLockAsync(workItem);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // The next tick tries again; the lock only lapses if every renewal within the timeout fails.
                        logger.RenewFailed(e, workItem.Id, every.TotalSeconds);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
