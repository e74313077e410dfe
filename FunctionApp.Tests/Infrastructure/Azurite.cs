using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ServerlessML.Tests.Infrastructure;

/// <summary>
/// A real Azurite (blob, queue and table: the app's models and datasets, and the durable task hubs) for the whole test
/// run, started from the repo's node_modules on free loopback ports with in-memory persistence, and stopped afterwards.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    // Azurite's published development account; not a secret.
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private Azurite(Process process, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        Port = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    /// <summary>The blob service's port.</summary>
    public int Port { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    public static async Task<Azurite> StartAsync()
    {
        var root = RepoRoot();
        var main = Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(main))
        {
            throw new InvalidOperationException($"Azurite is not installed ({main} is missing). Run ./test.sh, which runs 'npm ci' first.");
        }

        var (blob, queue, table) = (FreePort(), FreePort(), FreePort());
        var start = new ProcessStartInfo("node")
        {
            ArgumentList =
            {
                main, "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                "--blobPort", Invariant(blob), "--queuePort", Invariant(queue), "--tablePort", Invariant(table),
                "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--disableTelemetry",
            },
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var azurite = new Azurite(Process.Start(start)!, blob, queue, table);
        azurite._process.OutputDataReceived += (_, e) => azurite.Log(e.Data);
        azurite._process.ErrorDataReceived += (_, e) => azurite.Log(e.Data);
        azurite._process.BeginOutputReadLine();
        azurite._process.BeginErrorReadLine();
        await azurite.WaitUntilListeningAsync(TimeSpan.FromSeconds(60));
        return azurite;
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
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilListeningAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
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
