using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ServerlessML.Data;

namespace ServerlessML.Bench;

/// <summary>The cases that run the app itself: the local host in Release on Azurite, driven over HTTP.</summary>
internal static class Cases
{
    /// <summary>Uploads a CSV as a dataset, then trains on it through POST /api/train → Completed, several times.</summary>
    public static async Task<int> AppTrainingAsync(string[] args)
    {
        var options = new Options(args);
        var csv = options.Required("csv");
        var runs = (int)options.Long("runs", 3);
        // --parquet: the same rows uploaded as Parquet (converted once, by the app's own reader and writer).
        var dataset = options.Flag("parquet") ? await ParquetCopyAsync(csv) : csv;
        await using var stack = await Stack.StartAsync();
        foreach (var setting in options.All("setting"))
        {
            var (name, value) = setting.Split('=', 2) is [var n, var v] ? (n, v) : throw new ArgumentException($"--setting takes Name=Value, not '{setting}'.");
            stack.Settings[name] = value;
        }

        await stack.StartHostAsync();
        var upload = Stopwatch.StartNew();
        await stack.UploadAsync("bench", dataset);
        var uploadSeconds = upload.Elapsed.TotalSeconds;

        var times = new List<double>();
        var phases = new List<Dictionary<string, double>>();
        double? rSquared = null;
        for (var run = 0; run < runs; run++)
        {
            // A new model name each run: no production version to compare with, so every run does the same work.
            var clock = Stopwatch.StartNew();
            var result = await stack.TrainAsync($"dataset=bench&model=bench-{run}");
            times.Add(clock.Elapsed.TotalSeconds);
            rSquared = result.GetProperty("metrics").GetProperty("rSquared").GetDouble();
            phases.Add(Phases(stack));
        }

        Write(options, new
        {
            seconds = times,
            uploadSeconds,
            phases = phases.SelectMany(p => p).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => Median(g.Select(p => p.Value))),
            rSquared,
            hostPeakMemoryMb = stack.Host.PeakMemoryMb(),
        });
        return 0;
    }

    // bench/out/train-N.parquet beside train-N.csv: the CSV read by the app's reader, written as the app writes its splits.
    private static async Task<string> ParquetCopyAsync(string csv)
    {
        var parquet = Path.ChangeExtension(csv, ".parquet");
        if (!File.Exists(parquet))
        {
            var dataset = await CsvTableReader.ReadAsync(_ => Task.FromResult<Stream>(File.OpenRead(csv)), new DatasetReadOptions(), CancellationToken.None);
            await using var file = File.Create(parquet + ".tmp");
            await DatasetParquet.WriteAsync(dataset, rows: null, file, CancellationToken.None);
            await file.DisposeAsync();
            File.Move(parquet + ".tmp", parquet);
        }

        return parquet;
    }

    /// <summary>
    /// A 1,000-row dataset through the app (its durable task hub on Azure Storage, in Azurite), against the same
    /// orchestration on the in-memory backend in this process, and against the same training code called directly.
    /// </summary>
    public static async Task<int> OverheadAsync(string[] args)
    {
        var options = new Options(args);
        var csv = options.Required("csv");
        var runs = (int)options.Long("runs", 5);
        var direct = new List<double>();
        for (var run = 0; run <= runs; run++)
        {
            var seconds = (await TrainingPath.MeasureAsync(csv)).Seconds;
            if (run > 0)
            {
                direct.Add(seconds);
            }
        }

        await using var stack = await Stack.StartAsync();
        await stack.StartHostAsync();
        await stack.UploadAsync("small", csv);
        var app = new List<double>();
        for (var run = 0; run <= runs; run++)
        {
            var clock = Stopwatch.StartNew();
            var status = await stack.StartTrainingAsync($"dataset=small&model=small-{run}");
            await UntilAsync(stack, status, "Completed");
            if (run > 0)
            {
                app.Add(clock.Elapsed.TotalSeconds);
            }
        }

        var inMemory = await InMemoryWorkflow.MeasureAsync(stack.ConnectionString, "datasets/small.csv", runs);
        Write(options, new { direct, app, inMemory });
        return 0;
    }

    /// <summary>
    /// A run interrupted in the middle of training, by a crash (SIGKILL) and by Ctrl-C (SIGINT), with the local host
    /// started again at once: how long until the run completes, against the same run left alone. The app runs with its
    /// own defaults: a 30 s work-item visibility timeout and a 30 s partition lease.
    /// </summary>
    public static async Task<int> RecoveryAsync(string[] args)
    {
        var options = new Options(args);
        var csv = options.Required("csv");
        var runs = (int)options.Long("runs", 2);
        await using var stack = await Stack.StartAsync();
        await stack.StartHostAsync();
        await stack.UploadAsync("recovery", csv);

        // Left alone: from the moment training starts to Completed.
        var undisturbed = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var status = await stack.StartTrainingAsync($"dataset=recovery&model=alone-{run}");
            await UntilAsync(stack, status, phase: "training");
            var clock = Stopwatch.StartNew();
            await UntilAsync(stack, status, "Completed");
            undisturbed.Add(clock.Elapsed.TotalSeconds);
        }

        var crash = new List<double>();
        var interrupt = new List<double>();
        foreach (var (kind, times) in new[] { ("crash", crash), ("interrupt", interrupt) })
        {
            for (var run = 0; run < runs; run++)
            {
                var status = await stack.StartTrainingAsync($"dataset=recovery&model={kind}-{run}");
                await UntilAsync(stack, status, phase: "training");
                var clock = Stopwatch.StartNew();
                await (kind == "crash" ? stack.KillHostAsync() : stack.InterruptHostAsync());
                await stack.StartHostAsync();
                var output = await UntilAsync(stack, status, "Completed");
                times.Add(clock.Elapsed.TotalSeconds);
                if (output.GetProperty("output").GetProperty("version").GetInt32() != 1)
                {
                    throw new InvalidOperationException($"The {kind} run published more than one version: {output}");
                }
            }
        }

        Write(options, new { undisturbed, crash, interrupt });
        return 0;
    }

    // Polls a run every 20 ms until it has the runtime status, or has reached the phase, asked for.
    private static async Task<JsonElement> UntilAsync(Stack stack, Uri status, string? runtimeStatus = null, string? phase = null)
    {
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (DateTime.UtcNow < deadline)
        {
            var poll = await stack.PollAsync(status);
            var now = poll.GetProperty("runtimeStatus").GetString();
            if (now == runtimeStatus
                || (phase is not null && poll.GetProperty("customStatus") is { ValueKind: JsonValueKind.Object } custom && custom.GetProperty("phase").GetString() == phase))
            {
                return poll;
            }

            if (now is "Failed" or "Terminated" || (runtimeStatus is null && now == "Completed"))
            {
                throw new InvalidOperationException($"The run ended {now} before it got where it was awaited: {poll}");
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"{status} did not get there within 10 minutes.");
    }

    /// <summary>wrk against /api/predict and the echo endpoint, one instance per request and 10,000.</summary>
    public static async Task<int> ServingAsync(string[] args)
    {
        var options = new Options(args);
        var duration = options.String("duration") ?? "10s";
        await using var stack = await Stack.StartAsync();
        await stack.StartHostAsync();
        var csv = Path.Combine(Paths.Out, "serving.csv");
        await File.WriteAllTextAsync(csv, ServingData(20_000));
        await stack.UploadAsync("serving", csv);
        await stack.TrainAsync("dataset=serving&model=serving");

        var single = Body(1);
        var batch = Body(10_000);
        var runs = new List<Dictionary<string, object>>();
        for (var run = 0; run < options.Long("runs", 3); run++)
        {
            var results = new Dictionary<string, object>();
            foreach (var (name, body) in new[] { ("single", single), ("batch", batch) })
            {
                foreach (var path in new[] { "/api/predict", "/bench/echo" })
                {
                    await Wrk.RunAsync(new Uri(stack.BaseUri, path), body, "10s", connections: name == "single" ? 32 : 8);
                    results[$"{name}:{path}"] = await Wrk.RunAsync(new Uri(stack.BaseUri, path), body, duration, connections: name == "single" ? 32 : 8);
                }
            }

            runs.Add(results);
        }

        Write(options, runs);
        return 0;
    }

    /// <summary>Process start → first successful prediction of a model already in storage; and the first prediction of a
    /// version just published.</summary>
    public static async Task<int> ColdStartAsync(string[] args)
    {
        var options = new Options(args);
        var runs = (int)options.Long("runs", 5);
        await using var stack = await Stack.StartAsync();
        await stack.StartHostAsync();
        var csv = Path.Combine(Paths.Out, "serving.csv");
        await File.WriteAllTextAsync(csv, ServingData(5_000));
        await stack.UploadAsync("cold", csv);
        await stack.TrainAsync("dataset=cold&model=cold");
        await stack.StopHostAsync();

        var cold = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var elapsed = await stack.StartHostAsync(async (client, uri) =>
            {
                using var response = await client.PostAsync(new Uri(uri, "/api/predict"), Json(Body(1, "cold")));
                return response.IsSuccessStatusCode;
            });
            cold.Add(elapsed.TotalSeconds);
            await stack.StopHostAsync();
        }

        await stack.StartHostAsync();
        await stack.TrainAsync("dataset=cold&model=cold&promote=always&seed=7");
        var clock = Stopwatch.StartNew();
        using var first = await stack.Client.PostAsync(new Uri(stack.BaseUri, "/api/predict"), Json(Body(1, "cold", version: 2)));
        var newVersion = clock.Elapsed.TotalSeconds;
        first.EnsureSuccessStatusCode();
        clock.Restart();
        using var second = await stack.Client.PostAsync(new Uri(stack.BaseUri, "/api/predict"), Json(Body(1, "cold", version: 2)));
        var warm = clock.Elapsed.TotalSeconds;

        Write(options, new { cold, firstPredictionOfNewVersionSeconds = newVersion, warmPredictionSeconds = warm });
        return 0;
    }

    // What each step of the last run took, as its activities logged it.
    private static Dictionary<string, double> Phases(Stack stack)
    {
        var log = File.ReadAllText(stack.HostLog);
        var phases = new Dictionary<string, double>();
        void Take(string pattern, params string[] names)
        {
            var match = Regex.Matches(log, pattern).LastOrDefault() ?? throw new InvalidOperationException($"The host log has no line matching {pattern}.");
            for (var i = 0; i < names.Length; i++)
            {
                phases[names[i]] = double.Parse(match.Groups[i + 1].Value, CultureInfo.InvariantCulture);
            }
        }

        Take(@"Prepared \d+ rows of \S+ in ([\d.]+) s \(download and parse, overlapped\) \+ ([\d.]+) s", "download+parse", "split+write");
        Take(@"Trained run \w+ on \d+ rows in ([\d.]+) s \(reading the split ([\d.]+) s, saving ([\d.]+) s\)", "train", "read split", "save model");
        Take(@"Evaluated \S+ on \d+ rows in ([\d.]+) s", "evaluate");
        Take(@"Published \S+ v\d+ in ([\d.]+) s", "publish");
        return phases;
    }

    /// <summary>Ten features, nine numbers and one city, with a linear truth.</summary>
    private static string ServingData(int rows)
    {
        var random = new Random(5);
        string[] cities = ["Oslo", "Bergen", "Trondheim", "Stavanger", "Tromsø"];
        var csv = new StringBuilder(string.Join(',', Enumerable.Range(1, 9).Select(i => $"x{i}")) + ",city,y\n");
        for (var row = 0; row < rows; row++)
        {
            var y = 5.0;
            for (var i = 1; i <= 9; i++)
            {
                var x = Math.Round((random.NextDouble() * 20) - 10, 3);
                y += i * x;
                csv.Append(x.ToString(CultureInfo.InvariantCulture)).Append(',');
            }

            var city = random.Next(cities.Length);
            csv.Append(cities[city]).Append(',').Append((y + city + random.NextDouble()).ToString("F3", CultureInfo.InvariantCulture)).Append('\n');
        }

        return csv.ToString();
    }

    private static string Body(int instances, string model = "serving", int? version = null)
    {
        var random = new Random(9);
        string[] cities = ["Oslo", "Bergen", "Trondheim", "Stavanger", "Tromsø"];
        var body = new StringBuilder($"{{\"model\":\"{model}\",{(version is { } v ? $"\"version\":{v}," : "")}\"instances\":[");
        for (var i = 0; i < instances; i++)
        {
            body.Append(i == 0 ? "{" : ",{");
            for (var f = 1; f <= 9; f++)
            {
                body.Append(CultureInfo.InvariantCulture, $"\"x{f}\":{Math.Round((random.NextDouble() * 20) - 10, 3)},");
            }

            body.Append(CultureInfo.InvariantCulture, $"\"city\":\"{cities[random.Next(cities.Length)]}\"}}");
        }

        return body.Append("]}").ToString();
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static void Write(Options options, object result)
    {
        var json = JsonSerializer.Serialize(result);
        if (options.String("out") is { } path)
        {
            File.WriteAllText(path, json);
        }

        Console.WriteLine(json);
    }
}
