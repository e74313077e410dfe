using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessML.LocalHost;
using ServerlessML.LocalHost.Functions;
using ServerlessML.Tests.Infrastructure;

namespace ServerlessML.Tests.LocalHost;

/// <summary>The local host runs the same timer functions, on the same schedules, as functions.metadata gives the Functions host.</summary>
public sealed class TimerFunctionTests
{
    private static readonly IConfiguration s_settings = new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Sweep:Schedule"] = "0 */5 * * * *" })
        .Build();

    [Test]
    public void Timers_EqualTheTimerTriggersInFunctionsMetadata()
    {
        var inMetadata = FunctionsMetadata.Functions
            .Select(f => (Function: f, Trigger: FunctionsMetadata.Trigger(f)))
            .Where(f => f.Trigger.GetProperty("type").GetString() == "timerTrigger")
            .Select(f => $"{FunctionsMetadata.Name(f.Function)}: {f.Trigger.GetProperty("schedule").GetString()}")
            .ToList();

        Assert.That(inMetadata, Is.EqualTo(new[] { "Housekeeping: 0 17 * * * *" }));
        Assert.That(LocalHostApp.Timers.Select(t => t.ToString()), Is.EquivalentTo(inMetadata));
    }

    [TestCase("0 17 * * * *", "2026-12-01T10:20:00", "2026-12-01T11:17:00")]
    [TestCase("*/30 * * * * *", "2026-12-01T10:20:10", "2026-12-01T10:20:30")]
    [TestCase("0 3 * * *", "2026-12-01T10:20:00", "2026-12-02T03:00:00")]
    [TestCase("00:05:00", "2026-12-01T10:20:00", "2026-12-01T10:25:00")]
    [TestCase("%Sweep:Schedule%", "2026-12-01T10:21:00", "2026-12-01T10:25:00")]
    public void NextOccurrence_ReadsTheScheduleAsTheFunctionsHostDoes(string schedule, DateTime after, DateTime expected)
    {
        var timer = new TimerFunction("T", schedule, false, typeof(TimerFunctionTests).GetMethod(nameof(Tick))!);

        Assert.That(timer.NextOccurrence(after, s_settings), Is.EqualTo(expected));
    }

    [TestCase("every minute", "neither a CRON expression")]
    [TestCase("%Missing%", "'Missing', which is not set")]
    public void NextOccurrence_BadSchedule_SaysWhatIsWrong(string schedule, string message)
    {
        var timer = new TimerFunction("T", schedule, false, typeof(TimerFunctionTests).GetMethod(nameof(Tick))!);

        var failure = Assert.Throws<InvalidOperationException>(() => timer.NextOccurrence(DateTime.UtcNow, s_settings));

        Assert.That(failure!.Message, Does.Contain(message));
    }

    [Test]
    public async Task Runner_InvokesTheFunctionOnItsScheduleWithItsBindings()
    {
        Ticks.Clear();
        var timer = new TimerFunction("EverySecond", "* * * * * *", RunOnStartup: true, typeof(TimerFunctionTests).GetMethod(nameof(Tick))!);
        await using var services = new ServiceCollection().BuildServiceProvider();
        using var runner = new TimerFunctionRunner([timer], services, s_settings, TimeProvider.System, NullLogger<TimerFunctionRunner>.Instance);

        await runner.StartAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        await runner.StopAsync(CancellationToken.None);

        Assert.That(Ticks, Has.Count.GreaterThanOrEqualTo(3), "once at start and once a second");
        Assert.That(Ticks.Skip(1).Select(t => t.ScheduleStatus?.Next), Has.All.Not.Null);
    }

    private static List<TimerInfo> Ticks { get; } = [];

    [Function("EverySecond")]
    public static Task Tick([TimerTrigger("* * * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        lock (Ticks)
        {
            Ticks.Add(timer);
        }

        return Task.CompletedTask;
    }
}
