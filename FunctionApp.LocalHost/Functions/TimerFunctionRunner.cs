using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace ServerlessML.LocalHost.Functions;

/// <summary>
/// Runs the app's timer-triggered functions on their schedules, as the Functions host does: a new instance of the
/// function's class for each run, made from the services; the <see cref="TimerInfo"/>, a <c>[DurableClient]</c> and
/// the stopping token bound. One process of a local deployment runs them (the one serving HTTP), as the host runs a
/// timer on one instance at a time. A run that fails is logged and the schedule goes on.
/// </summary>
public sealed class TimerFunctionRunner(IReadOnlyList<TimerFunction> functions, IServiceProvider services, IConfiguration settings, TimeProvider clock, ILogger<TimerFunctionRunner> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(functions.Select(f => RunOnScheduleAsync(f, stoppingToken)));

    private async Task RunOnScheduleAsync(TimerFunction function, CancellationToken stoppingToken)
    {
        DateTime? last = null;
        var next = function.NextOccurrence(clock.GetUtcNow().UtcDateTime, settings);
        if (function.RunOnStartup)
        {
            await InvokeAsync(function, new TimerInfo { ScheduleStatus = new ScheduleStatus { Next = next } }, stoppingToken);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = next - clock.GetUtcNow().UtcDateTime;
            try
            {
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, clock, stoppingToken);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var now = clock.GetUtcNow().UtcDateTime;
            var following = function.NextOccurrence(now, settings);
            await InvokeAsync(function, new TimerInfo { ScheduleStatus = new ScheduleStatus { Last = last ?? default, Next = following, LastUpdated = now } }, stoppingToken);
            (last, next) = (now, following);
        }
    }

    private async Task InvokeAsync(TimerFunction function, TimerInfo timer, CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = services.CreateAsyncScope();
            var method = function.Method;
            var instance = method.IsStatic ? null : ActivatorUtilities.CreateInstance(scope.ServiceProvider, method.DeclaringType!);
            var arguments = method.GetParameters().Select(p => Bind(p, function, timer, scope.ServiceProvider, stoppingToken)).ToArray();
            if (method.Invoke(instance, arguments) is Task task)
            {
                await task;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            logger.TimerFailed(e, function.Name);
        }
    }

    private static object Bind(ParameterInfo parameter, TimerFunction function, TimerInfo timer, IServiceProvider services, CancellationToken stoppingToken) =>
        parameter.GetCustomAttribute<TimerTriggerAttribute>() is not null ? timer
        : parameter.GetCustomAttribute<DurableClientAttribute>() is not null ? services.GetRequiredService<DurableTaskClient>()
        : parameter.ParameterType == typeof(CancellationToken) ? stoppingToken
        : throw new InvalidOperationException(
            $"The local host cannot call timer function '{function.Name}': it binds a [TimerTrigger] TimerInfo, a [DurableClient] DurableTaskClient and a CancellationToken, not '{parameter.Name}'.");
}
