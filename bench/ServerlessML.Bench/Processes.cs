using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ServerlessML.Bench;

/// <summary>A child process the benchmark starts (Azurite, the local host), with its peak memory and a clean stop.</summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ChildProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? log = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        var writer = log is null ? null : TextWriter.Synchronized(new StreamWriter(log, append: false) { AutoFlush = true });
        process.OutputDataReceived += (_, e) => writer?.WriteLine(e.Data);
        process.ErrorDataReceived += (_, e) => writer?.WriteLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChildProcess(process);
    }

    /// <summary>The most memory the process has held resident so far (VmHWM), in MB.</summary>
    public double PeakMemoryMb() => Memory.PeakMb($"/proc/{_process.Id}/status");

    /// <summary>The CPU time the process has used so far, user and system, in seconds.</summary>
    public double CpuSeconds() => Cpu.ProcessSeconds(_process.Id);

    /// <summary>Kills the process at once: nothing it holds is handed back.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Sends SIGINT, as Ctrl-C does, and waits for the process to exit.</summary>
    public async Task InterruptAsync()
    {
        using (var kill = Process.Start("kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

internal static class Memory
{
    public static double PeakMb(string status = "/proc/self/status")
    {
        var line = File.ReadLines(status).First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}

internal static class Cpu
{
    // /proc counts in clock ticks, 100 a second on Linux.
    private const double TicksPerSecond = 100;

    /// <summary>utime + stime of a process, from /proc/{pid}/stat (the fields after the command name, which may hold spaces).</summary>
    public static double ProcessSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>CPU seconds the whole machine has spent busy (everything but idle and iowait) since boot, every core summed.</summary>
    public static double MachineBusySeconds()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..].Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        return (fields.Take(8).Sum() - fields[3] - fields[4]) / TicksPerSecond;
    }
}
