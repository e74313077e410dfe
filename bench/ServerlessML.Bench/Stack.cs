using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace ServerlessML.Bench;

/// <summary>Azurite (blob, queue and table, in memory) and the local host in Release, on free loopback ports: the app as a
/// user runs it, with its durable task hub in Azurite.</summary>
internal sealed class Stack : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly ChildProcess _azurite;
    private readonly List<ChildProcess> _workers = [];
    private ChildProcess? _host;

    private Stack(ChildProcess azurite, int blob, int queue, int table)
    {
        _azurite = azurite;
        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;";
        Client = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
    }

    public string ConnectionString { get; }

    public HttpClient Client { get; }

    public Uri BaseUri { get; private set; } = new("http://127.0.0.1");

    public ChildProcess Host => _host ?? throw new InvalidOperationException("The local host is not running.");

    /// <summary>The local host's console log, where the activities say how long each step took.</summary>
    public string HostLog { get; private set; } = "";

    /// <summary>Settings given to the local host and its workers as environment variables, e.g. a host.json override.</summary>
    public Dictionary<string, string> Settings { get; } = [];

    /// <summary>The worker processes started next to the local host, with their console logs.</summary>
    public IReadOnlyList<(ChildProcess Process, string Log)> Workers => _workers.Select((w, i) => (w, WorkerLog(i))).ToArray();

    /// <summary>Azurite, to account for its CPU time.</summary>
    public ChildProcess Azurite => _azurite;

    public static async Task<Stack> StartAsync()
    {
        int[] ports = [ChildProcess.FreePort(), ChildProcess.FreePort(), ChildProcess.FreePort()];
        var text = ports.Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var azurite = ChildProcess.Start("node", [
            Paths.Azurite, "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", text[0], "--queuePort", text[1], "--tablePort", text[2],
            "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--silent", "--disableTelemetry"]);
        var stack = new Stack(azurite, ports[0], ports[1], ports[2]);
        foreach (var port in ports)
        {
            await WaitAsync(async () =>
            {
                using var tcp = new System.Net.Sockets.TcpClient();
                await tcp.ConnectAsync("127.0.0.1", port);
                return true;
            });
        }

        return stack;
    }

    /// <summary>Starts the local host and returns how long it took until <paramref name="ready"/> first succeeded.</summary>
    public async Task<TimeSpan> StartHostAsync(Func<HttpClient, Uri, Task<bool>>? ready = null)
    {
        var port = ChildProcess.FreePort();
        BaseUri = new Uri($"http://127.0.0.1:{port}");
        var clock = Stopwatch.StartNew();
        HostLog = Path.Combine(Paths.Out, $"localhost-{port}.log");
        _host = ChildProcess.Start("dotnet", [Paths.LocalHost, "--urls", BaseUri.ToString()], Environment(), HostLog);
        ready ??= async (client, uri) => (await client.GetAsync(new Uri(uri, "/runtime/webhooks/durabletask/instances/ready"))).StatusCode == System.Net.HttpStatusCode.NotFound;
        await WaitAsync(() => ready(Client, BaseUri));
        return clock.Elapsed;
    }

    /// <summary>
    /// Starts one more process on the same task hub, as <c>./run.sh --workers N</c> does (<c>FunctionApp.LocalHost.dll
    /// --worker</c>): it takes orchestrations and activities from the hub's queues and serves no HTTP.
    /// </summary>
    public void StartWorker() =>
        _workers.Add(ChildProcess.Start("dotnet", [Paths.LocalHost, "--worker"], Environment(), WorkerLog(_workers.Count)));

    private string WorkerLog(int index) => Path.Combine(Paths.Out, $"worker-{BaseUri.Port}-{index + 1}.log");

    private Dictionary<string, string> Environment() => new(Settings)
    {
        ["AzureWebJobsStorage"] = ConnectionString,
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__ServerlessML.Training"] = "Information",
    };

    /// <summary>Kills the local host at once, as a crash would.</summary>
    public async Task KillHostAsync()
    {
        await Host.KillAsync();
        await StopHostAsync();
    }

    /// <summary>Stops the local host as Ctrl-C does, and waits for it to exit.</summary>
    public async Task InterruptHostAsync()
    {
        await Host.InterruptAsync();
        await StopHostAsync();
    }

    public async Task StopHostAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
            _host = null;
        }
    }

    /// <summary>Uploads a dataset with <c>PUT /api/datasets/{name}</c>: CSV, or Parquet when the file's name says so.</summary>
    public async Task UploadAsync(string name, string path)
    {
        await using var file = File.OpenRead(path);
        using var content = new StreamContent(file, 1 << 20);
        content.Headers.ContentType = new(path.EndsWith(".parquet", StringComparison.Ordinal) ? "application/vnd.apache.parquet" : "text/csv");
        using var response = await Client.PutAsync(new Uri(BaseUri, $"/api/datasets/{name}"), content);
        await EnsureAsync(response, HttpStatusCodes(201, 409));
    }

    /// <summary>Trains through POST /api/train?…&amp;wait= and returns the orchestration's output; a run longer than
    /// the app lets a request wait (<c>Training__MaxWaitSeconds</c>, 60 s) is polled to its end.</summary>
    public async Task<JsonElement> TrainAsync(string query)
    {
        using var response = await Client.PostAsync(new Uri(BaseUri, $"/api/train?{query}&wait=600"), null);
        await EnsureAsync(response, HttpStatusCodes(200, 202));
        if (response.StatusCode == System.Net.HttpStatusCode.OK)
        {
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }

        while (true)
        {
            var status = await PollAsync(response.Headers.Location!);
            switch (status.GetProperty("runtimeStatus").GetString())
            {
                case "Completed":
                    return status.GetProperty("output");
                case "Failed" or "Terminated":
                    throw new InvalidOperationException($"The run ended {status.GetProperty("runtimeStatus").GetString()}: {status}");
                default:
                    await Task.Delay(100);
                    break;
            }
        }
    }

    /// <summary>Starts a training run through POST /api/train and returns its status URL.</summary>
    public async Task<Uri> StartTrainingAsync(string query, HttpContent? body = null)
    {
        using var response = await Client.PostAsync(new Uri(BaseUri, $"/api/train?{query}"), body);
        await EnsureAsync(response, HttpStatusCodes(202));
        return response.Headers.Location!;
    }

    /// <summary>The run's status, through whichever process serves HTTP now.</summary>
    public async Task<JsonElement> PollAsync(Uri status)
    {
        using var response = await Client.GetAsync(new Uri(BaseUri, status.PathAndQuery));
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<JsonElement> StatusAsync(string instanceId, bool history)
    {
        using var response = await Client.GetAsync(new Uri(BaseUri, $"/runtime/webhooks/durabletask/instances/{instanceId}?showHistory={history.ToString().ToLowerInvariant()}"));
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.DisposeAsync();
        }

        await StopHostAsync();
        await _azurite.DisposeAsync();
        Client.Dispose();
    }

    private static int[] HttpStatusCodes(params int[] codes) => codes;

    private static async Task EnsureAsync(HttpResponseMessage response, int[] expected)
    {
        if (!expected.Contains((int)response.StatusCode))
        {
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> ready)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            try
            {
                if (await ready())
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or System.Net.Sockets.SocketException && DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Gave up waiting for a process to answer.");
            }

            await Task.Delay(10);
        }
    }
}
