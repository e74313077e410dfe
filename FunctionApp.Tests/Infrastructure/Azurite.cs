using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ServerlessML.Tests.Infrastructure;

/// <summary>
/// A real Azurite (blob, queue and table: the app's models and datasets, and the durable task hubs) for the whole test
/// run, started from the repo's node_modules on free loopback ports with in-memory persistence, and stopped afterwards;
/// or one of a test's own, which it can stop and start again to see what the app does while storage is away.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    // Azurite's published development account; not a secret.
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly StringBuilder _output = new();
    private readonly string? _location;
    private Process? _process;

    private Azurite(int blobPort, int queuePort, int tablePort, string? location)
    {
        Port = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
        _location = location;
    }

    /// <summary>The blob service's port.</summary>
    public int Port { get; }

    public int QueuePort { get; }

    public bool IsRunning => _process is { HasExited: false };

    public int TablePort { get; }

    public string ConnectionString => ConnectionStringVia(Port);

    /// <summary>The connection string with the blob service reached through another port, such as a relay's.</summary>
    public string ConnectionStringVia(int blobPort) =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    /// <summary>An Azurite with its data in memory, for the whole test run.</summary>
    public static Task<Azurite> StartAsync() => StartAsync(location: null);

    /// <summary>An Azurite of a test's own. With a <paramref name="location"/> its data is kept on disk there, so that
    /// it outlives <see cref="StopAsync"/> and <see cref="StartAgainAsync"/>.</summary>
    public static async Task<Azurite> StartAsync(string? location)
    {
        var azurite = new Azurite(FreePort(), FreePort(), FreePort(), location);
        await azurite.StartAgainAsync();
        return azurite;
    }

    /// <summary>Starts it on the same ports with the same data folder, after <see cref="StopAsync"/>.</summary>
    public async Task StartAgainAsync()
    {
        var root = RepoRoot();
        var main = Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(main))
        {
            throw new InvalidOperationException($"Azurite is not installed ({main} is missing). Run ./test.sh, which runs 'npm ci' first.");
        }

        var start = new ProcessStartInfo("node")
        {
            ArgumentList =
            {
                main, "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                "--blobPort", Invariant(Port), "--queuePort", Invariant(QueuePort), "--tablePort", Invariant(TablePort),
                "--skipApiVersionCheck", "--loose", "--disableTelemetry",
            },
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (_location is null)
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(_location);
        }

        _process?.Dispose();
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Log(e.Data);
        _process.ErrorDataReceived += (_, e) => Log(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilListeningAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Stops it as Ctrl-C would (SIGTERM), so that an Azurite on disk saves what it holds first; its ports
    /// refuse connections until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_process is null || _process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", Invariant(_process.Id)]))
        {
            await kill.WaitForExitAsync();
        }

        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    private static string Invariant(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string RepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ServerlessML.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Could not find the repository root (ServerlessML.sln) above the test assembly.");
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        if (_location is not null)
        {
            Directory.Delete(_location, recursive: true);
        }
    }

    private async Task WaitUntilListeningAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {_process.ExitCode}:\n{Output()}");
            }

            if (await ListeningAsync(Port) && await ListeningAsync(QueuePort) && await ListeningAsync(TablePort))
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Azurite did not listen on port {Port} within {timeout}:\n{Output()}");
    }

    private static async Task<bool> ListeningAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Log(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }
}
