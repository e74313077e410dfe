using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ServerlessML.Tests.Infrastructure;

/// <summary>
/// The local host as a real child process (the build's FunctionApp.LocalHost.dll, run with dotnet, as ./run.sh runs
/// it), on the test run's Azurite and a task hub the test names: for what only a process shows, such as a crash, a
/// restart or two processes sharing one task hub. Its output is kept for the test to read.
/// </summary>
internal sealed class LocalHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private LocalHostProcess(Process process, Uri? baseAddress)
    {
        _process = process;
        Client = new HttpClient { BaseAddress = baseAddress ?? new Uri("http://127.0.0.1:1") };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public HttpClient Client { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>CPU time the process has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The process that serves HTTP (and works on the hub), once it answers.</summary>
    public static async Task<LocalHostProcess> StartAsync(string taskHub, IDictionary<string, string?>? settings = null)
    {
        var url = new Uri($"http://127.0.0.1:{Azurite.FreePort()}");
        var host = new LocalHostProcess(Start(taskHub, ["--urls", url.ToString()], settings), url);
        await host.WaitUntilAnsweringAsync(TimeSpan.FromSeconds(60));
        return host;
    }

    /// <summary>A process that only works on the hub (<c>--worker</c>), once it has said it runs.</summary>
    public static async Task<LocalHostProcess> StartWorkerAsync(string taskHub, IDictionary<string, string?>? settings = null)
    {
        var worker = new LocalHostProcess(Start(taskHub, ["--worker"], settings), null);
        await worker.WaitForOutputAsync("worker running on the task hub", TimeSpan.FromSeconds(60));
        return worker;
    }

    /// <summary>Kills the process at once, as a crash or a power cut would: nothing is handed back or released.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Asks the process to stop, as Ctrl-C does, and waits for it.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
    }

    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The local host (pid {_process.Id}) did not write '{text}' within {timeout}:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static Process Start(string taskHub, string[] arguments, IDictionary<string, string?>? settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(Executable())!,
        };
        start.ArgumentList.Add(Executable());
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // As environment variables, the way ./run.sh and the Functions host pass app settings.
        var environment = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = TestEnvironment.Azurite.ConnectionString,
            ["AzureFunctionsJobHost__extensions__durableTask__hubName"] = taskHub,
            ["Serving__AliasRefreshSeconds"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return Process.Start(start)!;
    }

    // The local host's own build output, next to the tests' (same configuration and framework).
    private static string Executable()
    {
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = framework.Parent!;
        var path = Path.Combine(Azurite.RepoRoot(), "FunctionApp.LocalHost", "bin", configuration.Name, framework.Name, "FunctionApp.LocalHost.dll");
        return File.Exists(path) ? path : throw new InvalidOperationException($"The local host is not built at {path}; build the solution first.");
    }

    private async Task WaitUntilAnsweringAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The local host exited with code {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await Client.GetAsync("/runtime/webhooks/durabletask/instances/ready-check");
                return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
