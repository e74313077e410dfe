using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using NCrontab;

namespace ServerlessML.LocalHost.Functions;

/// <summary>
/// One timer-triggered function as the Functions host sees it: its name, its schedule (a six-field CRON expression,
/// seconds first, or an interval such as <c>00:05:00</c>; <c>%Setting%</c> is read from the app settings), whether it
/// also runs at start, and the method the host invokes.
/// </summary>
public sealed partial record TimerFunction(string Name, string Schedule, bool RunOnStartup, MethodInfo Method)
{
    /// <summary>Every <c>[Function]</c> method whose parameters include a <c>[TimerTrigger]</c>.</summary>
    public static IReadOnlyList<TimerFunction> Discover(Assembly assembly) =>
        assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(FromMethod)
            .OfType<TimerFunction>()
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>When the function is next due after <paramref name="after"/>, with <c>%Setting%</c> read from <paramref name="settings"/>.</summary>
    /// <exception cref="InvalidOperationException">The schedule is neither a CRON expression nor an interval.</exception>
    public DateTime NextOccurrence(DateTime after, IConfiguration settings)
    {
        var schedule = SettingPattern().Replace(Schedule, m => settings[m.Groups[1].Value]
            ?? throw new InvalidOperationException($"Timer function '{Name}': its schedule names the app setting '{m.Groups[1].Value}', which is not set."));
        if (TimeSpan.TryParse(schedule, CultureInfo.InvariantCulture, out var interval) && interval > TimeSpan.Zero)
        {
            return after + interval;
        }

        var fields = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        var cron = CrontabSchedule.TryParse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = fields == 6 })
            ?? throw new InvalidOperationException($"Timer function '{Name}': '{schedule}' is neither a CRON expression (six fields, seconds first) nor an interval such as 00:05:00.");
        return cron.GetNextOccurrence(after);
    }

    private static TimerFunction? FromMethod(MethodInfo method)
    {
        var function = method.GetCustomAttribute<FunctionAttribute>();
        var trigger = method.GetParameters().Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).OfType<TimerTriggerAttribute>().SingleOrDefault();
        return function is null || trigger is null ? null : new TimerFunction(function.Name, trigger.Schedule, trigger.RunOnStartup, method);
    }

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex SettingPattern();

    public override string ToString() => $"{Name}: {Schedule}";
}
