using System.Reflection;
using DurableTask.Core;
using DurableTask.Core.History;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessML.LocalHost.Durable;

namespace ServerlessML.Tests.LocalHost;

/// <summary>
/// The sidecar never renews an activity's lock; the decorator does, for as long as the activity runs and not a moment
/// longer, and a clean stop hands back what is still running.
/// </summary>
public sealed class RenewingOrchestrationServiceTests
{
    [Test]
    public async Task RunningActivity_IsRenewedUntilItCompletes_ThenNeverAgain()
    {
        var backend = Backend.Create();
        var service = new RenewingOrchestrationService(backend.Service, TimeSpan.FromMilliseconds(50), NullLogger<RenewingOrchestrationService>.Instance);

        var workItem = await service.LockNextTaskActivityWorkItem(TimeSpan.FromSeconds(1), CancellationToken.None);
        await Task.Delay(400);
        await service.CompleteTaskActivityWorkItemAsync(workItem, new TaskMessage());
        var renewedWhileRunning = backend.Renewals;
        await Task.Delay(300);

        Assert.That(renewedWhileRunning, Is.GreaterThanOrEqualTo(4), "renewed about every 50 ms for 400 ms");
        Assert.That(backend.Renewals, Is.EqualTo(renewedWhileRunning), "no renewal after the activity completed");
        Assert.That(backend.Calls, Is.EqualTo(new[] { "Lock", "Complete" }));
    }

    [Test]
    public async Task CleanStop_HandsBackWhatStillRuns()
    {
        var backend = Backend.Create();
        var service = new RenewingOrchestrationService(backend.Service, TimeSpan.FromMilliseconds(50), NullLogger<RenewingOrchestrationService>.Instance);
        await service.LockNextTaskActivityWorkItem(TimeSpan.FromSeconds(1), CancellationToken.None);
        var finished = await service.LockNextTaskActivityWorkItem(TimeSpan.FromSeconds(1), CancellationToken.None);
        await service.CompleteTaskActivityWorkItemAsync(finished, new TaskMessage());

        await service.AbandonHeldActivitiesAsync();
        var renewals = backend.Renewals;
        await Task.Delay(200);

        Assert.That(backend.Calls, Is.EqualTo(new[] { "Lock", "Lock", "Complete", "Abandon" }));
        Assert.That(backend.Renewals, Is.EqualTo(renewals));
    }

    [Test]
    public async Task FailingRenewal_IsTriedAgain()
    {
        var backend = Backend.Create(failRenewals: 2);
        var service = new RenewingOrchestrationService(backend.Service, TimeSpan.FromMilliseconds(30), NullLogger<RenewingOrchestrationService>.Instance);

        var workItem = await service.LockNextTaskActivityWorkItem(TimeSpan.FromSeconds(1), CancellationToken.None);
        await Task.Delay(300);
        await service.CompleteTaskActivityWorkItemAsync(workItem, new TaskMessage());

        Assert.That(backend.Renewals, Is.GreaterThan(2), "renewals went on after two failed");
    }

    /// <summary>The orchestration service's activity side, recording what it is asked; the rest is not needed here.</summary>
#pragma warning disable CA1852 // DispatchProxy derives from it at run time.
    public class Backend : DispatchProxy
#pragma warning restore CA1852
    {
        private int _renewals;
        private int _failRenewals;

        public List<string> Calls { get; } = [];

        public int Renewals => Volatile.Read(ref _renewals);

        /// <summary>This recorder as the interface it stands in for.</summary>
        public IOrchestrationService Service => (IOrchestrationService)(object)this;

        public static Backend Create(int failRenewals = 0)
        {
            var proxy = Create<IOrchestrationService, Backend>();
            var backend = (Backend)(object)proxy;
            backend._failRenewals = failRenewals;
            return backend;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            switch (targetMethod!.Name)
            {
                case nameof(IOrchestrationService.LockNextTaskActivityWorkItem):
                    Record("Lock");
                    return Task.FromResult(new TaskActivityWorkItem
                    {
                        Id = Guid.NewGuid().ToString(),
                        TaskMessage = new TaskMessage { Event = new TaskScheduledEvent(0), OrchestrationInstance = new OrchestrationInstance { InstanceId = "run" } },
                    });
                case nameof(IOrchestrationService.RenewTaskActivityWorkItemLockAsync):
                    if (Interlocked.Decrement(ref _failRenewals) >= 0)
                    {
                        return Task.FromException<TaskActivityWorkItem>(new TimeoutException("storage is slow"));
                    }

                    Interlocked.Increment(ref _renewals);
                    return Task.FromResult((TaskActivityWorkItem)args![0]!);
                case nameof(IOrchestrationService.CompleteTaskActivityWorkItemAsync):
                    Record("Complete");
                    return Task.CompletedTask;
                case nameof(IOrchestrationService.AbandonTaskActivityWorkItemAsync):
                    Record("Abandon");
                    return Task.CompletedTask;
                default:
                    throw new NotSupportedException(targetMethod.Name);
            }
        }

        private void Record(string call)
        {
            lock (Calls)
            {
                Calls.Add(call);
            }
        }
    }
}
