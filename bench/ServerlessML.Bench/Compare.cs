using System.Diagnostics;
using System.Text.Json;

namespace ServerlessML.Bench;

/// <summary>
/// Our training path against scikit-learn's on the same file, each as its own fresh process, alternating so that
/// drift in the machine hits both alike. Each process runs the path twice: the first run is a cold process's, the
/// second a warm one's. Records each run's phase timings and the whole process's wall time.
/// </summary>
internal static class Compare
{
    public static async Task<int> TrainingAsync(string[] args)
    {
        var options = new Options(args);
        var csv = options.Required("csv");
        var runs = (int)options.Long("runs", 5);
        var ours = new List<JsonElement>();
        var sklearn = new List<JsonElement>();
        for (var run = 0; run < runs; run++)
        {
            ours.Add(await RunAsync("dotnet", [typeof(Compare).Assembly.Location, "train", "--csv", csv, "--repeat", "2"]));
            sklearn.Add(await RunAsync("/usr/bin/python3", [Path.Combine(Paths.Root, "bench", "sklearn_train.py"), csv, "2"]));
        }

        Cases.Write(options, new { ours, sklearn });
        return 0;
    }

    // Runs a command that prints one JSON object, and adds its wall time as processSeconds.
    private static async Task<JsonElement> RunAsync(string command, string[] arguments)
    {
        var start = new ProcessStartInfo(command, arguments) { RedirectStandardOutput = true, UseShellExecute = false };
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var seconds = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} exited with {process.ExitCode}.");
        }

        var result = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(output.Trim().Split('\n')[^1])!;
        result["processSeconds"] = JsonSerializer.SerializeToElement(seconds);
        return JsonSerializer.SerializeToElement(result);
    }
}
