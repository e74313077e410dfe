using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ServerlessML.Bench;

/// <summary>Runs wrk with a POST body and reads its requests/s and latency percentiles.</summary>
internal static partial class Wrk
{
    public static async Task<WrkResult> RunAsync(Uri url, string body, string duration, int connections)
    {
        var bodyFile = Path.Combine(Paths.Out, $"wrk-body-{body.Length}.json");
        await File.WriteAllTextAsync(bodyFile, body);
        var script = Path.Combine(Paths.Out, $"wrk-{body.Length}.lua");
        await File.WriteAllTextAsync(script, $$"""
            local f = io.open("{{bodyFile}}", "rb")
            wrk.body = f:read("*a")
            f:close()
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "application/json"
            """);
        var start = new ProcessStartInfo("wrk", ["-t2", $"-c{connections}", $"-d{duration}", "--latency", "-s", script, url.ToString()])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var wrk = Process.Start(start)!;
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        var errors = NonSuccess().Match(output) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        return new WrkResult(
            double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture),
            Latency(output, "50%"),
            Latency(output, "99%"),
            errors);
    }

    private static double Latency(string output, string percentile)
    {
        var match = Regex.Match(output, $@"^\s*{Regex.Escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();
}

/// <summary>Requests per second, median and 99th-percentile latency in ms, and how many answers were not 2xx.</summary>
internal sealed record WrkResult(double RequestsPerSecond, double P50Ms, double P99Ms, int Errors);
