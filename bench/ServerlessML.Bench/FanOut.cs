using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ServerlessML.Bench;

/// <summary>
/// Case 9: a sweep of 8 candidates × 5 folds (<c>sweep=8&amp;folds=5</c>) from <c>POST /api/train</c> to Completed, on one
/// process and on two processes on the same task hub (the local host and one <c>--worker</c>, as <c>./run.sh --workers 2</c>
/// starts them). A configuration is <c>processes[:activities]</c>, the second part overriding host.json's
/// <c>maxConcurrentActivityFunctions</c> per process. Each runs on a fresh Azurite and host; its first run, a smaller
/// sweep, pays for JIT compilation in every process and is left out. Besides the wall time it records the CPU time of every process and of
/// the whole machine, and which process ran which fold, so a ratio that misses its target comes with its cause.
/// </summary>
internal static partial class FanOut
{
    private const string ActivitiesSetting = "AzureFunctionsJobHost__extensions__durableTask__maxConcurrentActivityFunctions";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Options(args);
        var csv = options.Required("csv");
        var runs = (int)options.Long("runs", 3);
        var sweep = options.String("query") ?? "sweep=8&folds=5";
        // Fifteen folds of SDCA, FastTree and LightGBM in one batch: every process compiles every trainer's code.
        var warmUp = options.String("warm-up") ?? "sweep=3&folds=5";
        var configurations = (options.String("configs") ?? "1,2").Split(',');

        var results = new JsonArray();
        foreach (var configuration in configurations)
        {
            var parts = configuration.Split(':');
            var processes = int.Parse(parts[0], CultureInfo.InvariantCulture);
            int? activities = parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : null;
            await using var stack = await Stack.StartAsync();
            if (activities is { } slots)
            {
                stack.Settings[ActivitiesSetting] = slots.ToString(CultureInfo.InvariantCulture);
            }

            await stack.StartHostAsync();
            for (var i = 1; i < processes; i++)
            {
                stack.StartWorker();
            }

            await stack.UploadAsync("fanout", csv);
            var measured = new JsonArray();
            for (var run = 0; run <= runs; run++)
            {
                var cpuBefore = CpuTimes(stack);
                var machineBefore = Cpu.MachineBusySeconds();
                var clock = Stopwatch.StartNew();
                var status = await stack.StartTrainingAsync($"dataset=fanout&model=fanout-{run}&{(run == 0 ? warmUp : sweep)}");
                var done = await UntilCompletedAsync(stack, status, TimeSpan.FromMinutes(15));
                var seconds = clock.Elapsed.TotalSeconds;
                var machine = Cpu.MachineBusySeconds() - machineBefore;
                var cpu = CpuTimes(stack).Zip(cpuBefore, (after, before) => after - before).ToArray();
                var id = done.Status.GetProperty("instanceId").GetString()!;
                var folds = Folds(stack, id);
                Console.Error.WriteLine($"{configuration} run {run}: {seconds:F2} s (sweep {done.SweepSeconds:F2} s), folds per process {string.Join('/', folds.Select(f => f.Count))}, CPU {string.Join('/', cpu.Select(c => c.ToString("F1", CultureInfo.InvariantCulture)))} s, machine {machine:F1} s");
                if (run == 0)
                {
                    continue;
                }

                measured.Add(new JsonObject
                {
                    ["seconds"] = seconds,
                    ["sweepSeconds"] = done.SweepSeconds,
                    // Azurite first, then the local host, then each worker.
                    ["cpuSeconds"] = new JsonArray([.. cpu.Select(c => JsonValue.Create(c))]),
                    ["machineBusySeconds"] = machine,
                    ["foldsPerProcess"] = new JsonArray([.. folds.Select(f => JsonValue.Create(f.Count))]),
                    ["meanFoldSeconds"] = folds.SelectMany(f => f).DefaultIfEmpty().Average(),
                });
            }

            results.Add(new JsonObject
            {
                ["configuration"] = configuration,
                ["processes"] = processes,
                ["activitiesPerProcess"] = activities,
                ["runs"] = measured,
            });
        }

        Cases.Write(options, new JsonObject { ["query"] = sweep, ["rows"] = File.ReadLines(csv).LongCount() - 1, ["configurations"] = results });
        return 0;
    }

    /// <summary>The status of a run that completed, and how long its status said <c>sweeping</c>.</summary>
    public sealed record Completed(JsonElement Status, double SweepSeconds);

    /// <summary>Polls a run every 25 ms until Completed; fails on Failed or Terminated.</summary>
    public static async Task<Completed> UntilCompletedAsync(Stack stack, Uri status, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan? sweepStart = null, sweepEnd = null;
        while (clock.Elapsed < timeout)
        {
            var poll = await stack.PollAsync(status);
            var now = poll.GetProperty("runtimeStatus").GetString();
            var sweeping = poll.TryGetProperty("customStatus", out var custom) && custom.ValueKind == JsonValueKind.Object
                && custom.TryGetProperty("phase", out var phase) && phase.GetString() == "sweeping";
            if (sweeping)
            {
                sweepStart ??= clock.Elapsed;
            }
            else if (sweepStart is not null)
            {
                sweepEnd ??= clock.Elapsed;
            }

            if (now == "Completed")
            {
                return new Completed(poll, ((sweepEnd ?? clock.Elapsed) - (sweepStart ?? clock.Elapsed)).TotalSeconds);
            }

            if (now is "Failed" or "Terminated")
            {
                throw new InvalidOperationException($"The run ended {now}: {poll}");
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"{status} did not complete within {timeout}.");
    }

    private static double[] CpuTimes(Stack stack) =>
        [stack.Azurite.CpuSeconds(), stack.Host.CpuSeconds(), .. stack.Workers.Select(w => w.Process.CpuSeconds())];

    // The folds of one run each process logged, with the seconds each took.
    private static List<List<double>> Folds(Stack stack, string instanceId) =>
        [.. new[] { stack.HostLog }.Concat(stack.Workers.Select(w => w.Log)).Select(log =>
            FoldLine().Matches(ReadShared(log)).Where(m => m.Groups["run"].Value == instanceId)
                .Select(m => double.Parse(m.Groups["seconds"].Value, CultureInfo.InvariantCulture)).ToList())];

    // The process still has the log open for writing.
    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }

    [GeneratedRegex(@"Fold \d+ of \d+ of .+? on training/(?<run>[^/]+)/\S+ in (?<seconds>[\d.]+) s")]
    private static partial Regex FoldLine();
}
