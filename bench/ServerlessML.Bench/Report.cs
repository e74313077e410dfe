using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace ServerlessML.Bench;

/// <summary>Turns the result files of one bench/run.sh into BENCHMARKS.md: medians with min–max, ratios, targets.</summary>
internal static class Report
{
    public static int Write(string[] args)
    {
        var options = new Options(args);
        var results = options.Required("results");
        var quick = options.Flag("quick");
        JsonElement Load(string name) => JsonDocument.Parse(File.ReadAllText(Path.Combine(results, name))).RootElement;

        var training = Load("training.json");
        var app = Load("app.json");
        var scale = Load("scale.json");
        var serve = Load("serve.json");
        var cold = Load("cold.json");
        var overhead = Load("overhead.json");
        var recovery = Load("recovery.json");
        var parsers = Load("csv.json");
        var handWritten = Load("hand-written.json");

        var oursPath = Runs(training.GetProperty("ours"), r => r.GetProperty("seconds").GetDouble());
        var sklearnPath = Runs(training.GetProperty("sklearn"), r => r.GetProperty("seconds").GetDouble());
        var oursWarm = Runs(training.GetProperty("ours"), r => r.GetProperty("repeats")[1].GetDouble());
        var sklearnWarm = Runs(training.GetProperty("sklearn"), r => r.GetProperty("repeats")[1].GetDouble());
        var oursProcess = Runs(training.GetProperty("ours"), r => r.GetProperty("processSeconds").GetDouble());
        var sklearnProcess = Runs(training.GetProperty("sklearn"), r => r.GetProperty("processSeconds").GetDouble());
        var oursR2 = training.GetProperty("ours")[0].GetProperty("rSquared").GetDouble();
        var sklearnR2 = training.GetProperty("sklearn")[0].GetProperty("rSquared").GetDouble();
        var oursMemory = Runs(training.GetProperty("ours"), r => r.GetProperty("peakMemoryMb").GetDouble());
        var sklearnMemory = Runs(training.GetProperty("sklearn"), r => r.GetProperty("peakMemoryMb").GetDouble());
        var rows = training.GetProperty("ours")[0].GetProperty("rows").GetInt32();

        var appRuns = Numbers(app.GetProperty("seconds"));
        var appWarm = appRuns.Length > 1 ? appRuns[1..] : appRuns;
        var appFirst = appRuns[..1];
        var parquet = Load("app-parquet.json");
        var parquetRuns = Numbers(parquet.GetProperty("seconds"));
        var parquetWarm = parquetRuns.Length > 1 ? parquetRuns[1..] : parquetRuns;
        // Optional: the same runs with the instance's cache of prepared data turned off (written once the cache exists).
        var uncached = File.Exists(Path.Combine(results, "app-uncached.json")) ? Load("app-uncached.json") : (JsonElement?)null;
        var scaleRuns = Numbers(scale.GetProperty("seconds"));
        var scaleRows = options.Long("scale-rows", 10_000_000);

        var single = Serving(serve, "single");
        var batch = Serving(serve, "batch");

        var coldRuns = Numbers(cold.GetProperty("cold"));
        var direct = Numbers(overhead.GetProperty("direct"));
        var viaApp = Numbers(overhead.GetProperty("app"));
        var inMemory = Numbers(overhead.GetProperty("inMemory"));
        var undisturbed = Numbers(recovery.GetProperty("undisturbed"));
        var crashed = Numbers(recovery.GetProperty("crash"));
        var interrupted = Numbers(recovery.GetProperty("interrupt"));
        var oursParse = Numbers(parsers.GetProperty("ours"));
        var sepParse = Numbers(parsers.GetProperty("sep"));
        var sepParallelParse = Numbers(parsers.GetProperty("sepParallel"));

        var md = new StringBuilder();
        md.AppendLine("# Benchmarks").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Written by `bench/run.sh{(quick ? " --quick" : "")}` on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC. Every figure is the median of its runs with the range in brackets; the ratio against its baseline is what counts, since absolute times drift on a shared machine. Nothing here runs in the tests.").AppendLine();
        md.AppendLine(QualityReport.Pointer).AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Machine()}.").AppendLine();
        if (quick)
        {
            md.AppendLine("**Quick run**: smaller inputs and fewer repetitions than the targets are defined for; use `bench/run.sh` for the real figures.").AppendLine();
        }

        md.AppendLine("| Case | ServerlessML | Baseline | Ratio | Target | |");
        md.AppendLine("|---|---|---|---|---|---|");
        Row(md, $"1. Training path, {rows:N0} × 20 (parse → split → fit → evaluate), fresh process", Seconds(oursPath), $"{Seconds(sklearnPath)} scikit-learn", Median(oursPath) / Median(sklearnPath), "≤ 0.6×", Median(oursPath) / Median(sklearnPath) <= 0.6);
        Row(md, "1. The same, second run in the process (a warm instance)", Seconds(oursWarm), $"{Seconds(sklearnWarm)} scikit-learn", Median(oursWarm) / Median(sklearnWarm), "≤ 0.6×", Median(oursWarm) / Median(sklearnWarm) <= 0.6);
        Row(md, "1. R² on the test split", oursR2.ToString("F6", CultureInfo.InvariantCulture), $"{sklearnR2.ToString("F6", CultureInfo.InvariantCulture)} scikit-learn", null, "within 0.001", Math.Abs(oursR2 - sklearnR2) <= 0.001);
        Row(md, "1. Peak memory of the training path", $"{Median(oursMemory):N0} MB", $"{Median(sklearnMemory):N0} MB scikit-learn", Median(oursMemory) / Median(sklearnMemory), "≤ 1 GB", Median(oursMemory) <= 1024);
        Row(md, "1. Through the app (`./run.sh` as shipped): uploaded dataset, `POST /api/train` → Completed, warm instance", Seconds(appWarm), $"{Seconds(sklearnPath)} scikit-learn", Median(appWarm) / Median(sklearnPath), "≤ 1.0×", Median(appWarm) / Median(sklearnPath) <= 1.0);
        Row(md, "1. The same, first run after the app starts", Seconds(appFirst), $"{Seconds(sklearnPath)} scikit-learn", Median(appFirst) / Median(sklearnPath), "≤ 1.5×", Median(appFirst) / Median(sklearnPath) <= 1.5);
        Row(md, "1. The same from a Parquet dataset, warm instance", Seconds(parquetWarm), $"{Seconds(sklearnPath)} scikit-learn", Median(parquetWarm) / Median(sklearnPath), "≤ 0.7×", Median(parquetWarm) / Median(sklearnPath) <= 0.7);
        if (uncached is { } off)
        {
            var offRuns = Numbers(off.GetProperty("seconds"));
            var offWarm = offRuns.Length > 1 ? offRuns[1..] : offRuns;
            Row(md, "1. The same (CSV), warm instance, its cache of prepared data turned off", Seconds(offWarm), $"{Seconds(sklearnPath)} scikit-learn", Median(offWarm) / Median(sklearnPath), "", null);
        }

        Row(md, $"2. Scale: {scaleRows:N0} rows through the app", Seconds(scaleRuns), $"{Seconds(appWarm)} at {rows:N0} rows", Median(scaleRuns) / Median(appWarm), $"≤ {scaleRows / rows * 1.2:0}× (linear + 20 %)", Median(scaleRuns) / Median(appWarm) <= scaleRows / (double)rows * 1.2);
        Row(md, "2. Peak memory of the local host at that scale", $"{scale.GetProperty("hostPeakMemoryMb").GetDouble():N0} MB", "", null, "≤ 2 GB", scale.GetProperty("hostPeakMemoryMb").GetDouble() <= 2048);
        Row(md, "3. `/api/predict`, one instance, 32 connections", $"{single.Predict.Rps:N0} req/s", $"{single.Echo.Rps:N0} req/s echo", single.Predict.Rps / single.Echo.Rps, "≥ 0.9×", single.Predict.Rps / single.Echo.Rps >= 0.9);
        Row(md, "3. `/api/predict` p99 latency, one instance", $"{single.Predict.P99:F1} ms", $"{single.Echo.P99:F1} ms echo", null, "≤ 10 ms", single.Predict.P99 <= 10);
        Row(md, "3. `/api/predict`, 10,000 instances per request", $"{batch.Predict.Rps * 10_000:N0} rows/s", $"{batch.Echo.Rps * 10_000:N0} rows/s echo", batch.Predict.Rps / batch.Echo.Rps, "≥ 0.9×", batch.Predict.Rps / batch.Echo.Rps >= 0.9);
        Row(md, "4. Cold start: process start → first prediction", Seconds(coldRuns), "", null, "≤ 1.5 s", Median(coldRuns) <= 1.5);
        Row(md, "4. First prediction of a version just published", $"{cold.GetProperty("firstPredictionOfNewVersionSeconds").GetDouble() * 1000:F0} ms", $"{cold.GetProperty("warmPredictionSeconds").GetDouble() * 1000:F1} ms warm", null, "", null);
        Row(md, "5. Orchestration overhead, 1,000 rows", $"+{Median(viaApp) - Median(direct):F2} s ({Seconds(viaApp)} in all)", $"{Seconds(direct)} same code called directly", null, "≤ 1 s added", Median(viaApp) - Median(direct) <= 1);
        Row(md, "5. The same on the Azure Storage backend against the in-memory one", $"{Seconds(viaApp)} Azure Storage (Azurite), over HTTP", $"{Seconds(inMemory)} in-memory, in process", null, "≤ 1 s added", Median(viaApp) - Median(inMemory) <= 1);
        Row(md, "6. Crash (SIGKILL) in training, restarted at once → Completed", $"{Seconds(crashed)}", $"{Seconds(undisturbed)} left alone", null, "", null);
        Row(md, "6. Ctrl-C (SIGINT) in training, restarted at once → Completed", $"{Seconds(interrupted)}", $"{Seconds(undisturbed)} left alone", null, "within seconds", Median(interrupted) - Median(undisturbed) <= 10);
        Row(md, "7. CSV into columns: the app's reader (its domain rules over Sep) against raw Sep, single-threaded", Seconds(oursParse), $"{Seconds(sepParse)} Sep", Median(oursParse) / Median(sepParse), "", null);
        foreach (var (name, piece) in HandWrittenPieces(handWritten))
        {
            var speedup = piece.GetProperty("speedup").GetDouble();
            var difference = piece.GetProperty("maxPredictionDifference").GetDouble();
            var (ours, theirs) = piece.TryGetProperty("nanosecondsPerRow", out var perRow)
                ? ($"{perRow.GetProperty("handWritten").GetProperty("median").GetDouble():N0} ns a row", $"{perRow.GetProperty("mlnet").GetProperty("median").GetDouble():N0} ns a row")
                : ($"{piece.GetProperty("handWritten").GetProperty("median").GetDouble():F3} s", $"{piece.GetProperty("mlnet").GetProperty("median").GetDouble():F3} s");
            Row(md, $"10. {name}", ours, $"{theirs} ML.NET's own path; predictions differ by ≤ {difference:G2}", 1 / speedup, "keep ours only if ≤ 0.77× (1.3× faster), equal output", speedup >= 1.3 && difference <= 1e-3);
        }
        md.AppendLine();

        md.AppendLine("## 1. Training throughput").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"`bench/out/train-*.csv`: {rows:N0} rows × 20 numeric features and a label with a known linear truth plus Gaussian noise ({new FileInfo(Path.Combine(Paths.Out, options.String("training-csv") ?? "")).Length / 1e6:N0} MB). Each side runs as its own fresh process, alternately, and runs the path twice in it; the path time is what its phases took (a fresh .NET process includes compiling ML.NET's code; scikit-learn's excludes importing it), the process time is the command from start to exit. The phases are the first run's.").AppendLine();
        md.AppendLine("| Phase | ServerlessML | scikit-learn |").AppendLine("|---|---|---|");
        foreach (var phase in new[] { "parse", "split", "train", "evaluate" })
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {phase} | {Seconds(Runs(training.GetProperty("ours"), r => r.GetProperty("phases").GetProperty(phase).GetDouble()))} | {Seconds(Runs(training.GetProperty("sklearn"), r => r.GetProperty("phases").GetProperty(phase).GetDouble()))} |");
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"| **path** | **{Seconds(oursPath)}** | **{Seconds(sklearnPath)}** |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| path, second run in the process | {Seconds(oursWarm)} | {Seconds(sklearnWarm)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| whole process | {Seconds(oursProcess)} | {Seconds(sklearnProcess)} |").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Through the app (`app.json`): the same file uploaded with `PUT /api/datasets/bench` ({app.GetProperty("uploadSeconds").GetDouble():F1} s, not counted), then `POST /api/train?dataset=bench&wait=600` on the local host in Release, with Azurite holding the data in memory. The first run ({appRuns[0]:F2} s) pays for JIT compilation and is left out of the median. Where a run's time goes, as its activities log it:").AppendLine();
        Phases(md, app.GetProperty("phases"));
        md.AppendLine(CultureInfo.InvariantCulture, $"From Parquet (`app-parquet.json`): the same rows converted once to `bench/out/train-*.parquet` by the app's own reader and writer, uploaded with `Content-Type: application/vnd.apache.parquet` ({parquet.GetProperty("uploadSeconds").GetDouble():F1} s, not counted), then trained the same way; first run {parquetRuns[0]:F2} s, left out of the median. Its steps:").AppendLine();
        Phases(md, parquet.GetProperty("phases"));

        md.AppendLine(CultureInfo.InvariantCulture, $"## 2. Scale").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"{scaleRows:N0} rows of the same shape through the app ({scale.GetProperty("uploadSeconds").GetDouble():F0} s to upload, not counted). Peak resident memory of the local host: {scale.GetProperty("hostPeakMemoryMb").GetDouble():N0} MB (Azurite, holding the dataset and the splits, is a process of its own). Where the time goes:").AppendLine();
        Phases(md, scale.GetProperty("phases"));

        md.AppendLine("## 3. Serving").AppendLine();
        md.AppendLine("`wrk -t2` from the same machine against the local host in Release: `/api/predict` with a published model of ten features (nine numbers and a city), and `/bench/echo`, compiled into the benchmark build only, which parses the same JSON and answers in the same shape and size. Ten seconds of warm-up before each measurement (tiered compilation settles the hot paths in that time).").AppendLine();
        md.AppendLine("| Request | Endpoint | req/s | p50 | p99 | errors |").AppendLine("|---|---|---|---|---|---|");
        foreach (var (name, result) in new[] { ("1 instance, 32 connections", single), ("10,000 instances, 8 connections", batch) })
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | `/api/predict` | {result.Predict.Rps:N0} | {result.Predict.P50:F2} ms | {result.Predict.P99:F2} ms | {result.Predict.Errors} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | `/bench/echo` | {result.Echo.Rps:N0} | {result.Echo.P50:F2} ms | {result.Echo.P99:F2} ms | {result.Echo.Errors} |");
        }

        md.AppendLine();
        md.AppendLine("## 4. Cold start").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"From starting `dotnet FunctionApp.LocalHost.dll` to the first successful `POST /api/predict` of a model already in Azurite: {string.Join(", ", coldRuns.Select(s => $"{s:F2} s"))}. After a new version is published, the first prediction that names it takes {cold.GetProperty("firstPredictionOfNewVersionSeconds").GetDouble() * 1000:F0} ms (it loads the model), the next {cold.GetProperty("warmPredictionSeconds").GetDouble() * 1000:F1} ms. Requests for the production alias move to a new version within `Serving__AliasRefreshSeconds` (10 s).").AppendLine();

        md.AppendLine("## 5. Orchestration overhead").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"A 1,000-row dataset: `POST /api/train` → Completed on the local host, polled every 20 ms ({Seconds(viaApp)}), against the same orchestration on the Durable Task SDK's in-memory backend in the benchmark's own process ({Seconds(inMemory)}) and against the same parse → split → fit → evaluate code called in a warm process ({Seconds(direct)}); the first of each is left out (JIT). The difference from the direct call is the orchestration: six activities scheduled through the task hub, the splits and the model moved through blob storage, the manifest and aliases written; the difference between the two backends is the Azure Storage backend's queues and tables (in Azurite on the same two cores) and the HTTP calls.").AppendLine();

        md.AppendLine("## 6. Recovery").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"A run on the {options.String("recovery-csv") ?? "benchmark"} dataset is interrupted as soon as its status says `training`, and the local host is started again at once (its default settings: a 30 s work-item visibility timeout, renewed every 10 s while an activity runs, and a 30 s partition lease). The time is from the interruption to `Completed`, against the same span of a run left alone ({Seconds(undisturbed)}). After a crash ({Seconds(crashed)}) the run waits for the dead process's lock on its activity and lease on its partition to lapse, then the training activity runs again from its start: the recovery delay is about {Median(crashed) - Median(undisturbed):F0} s. After Ctrl-C ({Seconds(interrupted)}) the stopping process hands its activity and partitions back, and the new one picks them up at once. Either way the run publishes one version.").AppendLine();

        md.AppendLine("## 7. CSV parsers").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"The 1,000,000 × 20 benchmark file read into float columns, in one process, alternately: the app's reader (`CsvTableReader`: Sep 0.17.1 splitting the records, and the domain layer on top inferring kinds, checking every value and keeping line numbers for errors) took {Seconds(oursParse)}; raw Sep parsing every field into float columns took {Seconds(sepParse)} on one thread and {Seconds(sepParallelParse)} with its parallel enumeration. Both read the same numbers (their sums agree). The difference between the first two is the cost of the domain layer. Before the move to Sep (issue 10) the app's hand-written parser took 2× raw Sep's time here, so by the rule (keep hand-written code only where it is at least 1.3× faster) it went.").AppendLine();

        md.AppendLine("## 10. The hand-written ML pieces against ML.NET's own paths").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"`bench hand-written` on the same file ({handWritten.GetProperty("rows").GetProperty("train").GetInt32():N0} training rows, {handWritten.GetProperty("rows").GetProperty("test").GetInt32():N0} test rows), each piece against ML.NET's path on the same work, alternately in one process after a discarded run of each: the training matrix `FeaturesDataView` builds from the fitted transforms' parameters against the fitted transform chain (cached) feeding the same SDCA, the one scorer (`ModelScorer`) on the test split against `model.Transform` and a cursor, and the same scorer per row against a pooled ML.NET row predictor for batches of one row and of 10,000. Load average {handWritten.GetProperty("loadAverage").GetProperty("before")[0].GetDouble():F1} before, {handWritten.GetProperty("loadAverage").GetProperty("after")[0].GetDouble():F1} after. Details and the decision per piece: `bench/NOTES.md`.").AppendLine();

        // --keep-quality (bench/run.sh --only data): cases 8 and 9 stay as the last run that measured them wrote them.
        md.AppendLine(options.Flag("keep-quality")
            ? QualitySectionsOf(File.ReadAllText(options.Required("out")))
            : QualityReport.Sections(results, Path.Combine(Paths.Out, "quality", "datasets.json"), quick ? "bench/run.sh --quick" : "bench/run.sh"));
        md.AppendLine(File.ReadAllText(Path.Combine(Paths.Root, "bench", "NOTES.md")));
        File.WriteAllText(options.Required("out"), md.ToString());
        Console.WriteLine(md.ToString());
        return 0;
    }

    private static IEnumerable<(string Name, JsonElement Piece)> HandWrittenPieces(JsonElement result)
    {
        yield return ("Training matrix from the transforms' parameters (`FeaturesDataView`)", result.GetProperty("trainingInput"));
        yield return ("Scoring the test split (`ModelScorer`)", result.GetProperty("testScoring"));
        foreach (var batch in result.GetProperty("serving").EnumerateObject())
        {
            yield return ($"Serving, per row, {batch.Name.Replace("batchOf", "batches of ", StringComparison.Ordinal)} (`ModelScorer`)", batch.Value);
        }
    }

    private static string QualitySectionsOf(string document)
    {
        var start = document.IndexOf(QualityReport.Start, StringComparison.Ordinal);
        var end = document.IndexOf(QualityReport.End, StringComparison.Ordinal);
        return start >= 0 && end > start
            ? document[start..(end + QualityReport.End.Length)]
            : throw new InvalidOperationException("BENCHMARKS.md has no cases 8 and 9 to keep: run bench/run.sh without --only data once.");
    }

    private static void Row(StringBuilder md, string name, string ours, string baseline, double? ratio, string target, bool? met) =>
        md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {ours} | {baseline} | {(ratio is { } r ? $"{r:F2}×" : "")} | {target} | {(met is null ? "" : met.Value ? "met" : "**not met**")} |");

    private static void Phases(StringBuilder md, JsonElement phases)
    {
        md.AppendLine("| Step | Seconds |").AppendLine("|---|---|");
        foreach (var phase in phases.EnumerateObject())
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {phase.Name} | {phase.Value.GetDouble():F2} |");
        }

        md.AppendLine();
    }

    private sealed record Measured(double Rps, double P50, double P99, int Errors);

    private sealed record ServingPair(Measured Predict, Measured Echo);

    // The median run (by requests per second) of each endpoint.
    private static ServingPair Serving(JsonElement serve, string name)
    {
        Measured Pick(string path)
        {
            var runs = serve.EnumerateArray().Select(r => r.GetProperty($"{name}:{path}")).Select(m => new Measured(
                m.GetProperty("RequestsPerSecond").GetDouble(), m.GetProperty("P50Ms").GetDouble(), m.GetProperty("P99Ms").GetDouble(), m.GetProperty("Errors").GetInt32()))
                .OrderBy(m => m.Rps).ToArray();
            return runs[runs.Length / 2];
        }

        return new ServingPair(Pick("/api/predict"), Pick("/bench/echo"));
    }

    private static double[] Runs(JsonElement runs, Func<JsonElement, double> value) => runs.EnumerateArray().Select(value).ToArray();

    private static double[] Numbers(JsonElement values) => values.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static double Median(double[] values) => Cases.Median(values);

    private static string Seconds(double[] values) =>
        values.Length == 1 ? $"{values[0]:F2} s" : $"{Median(values):F2} s ({values.Min():F2}–{values.Max():F2})";

    private static string Machine()
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var memory = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return $"{Environment.ProcessorCount} cores ({cpu}), {double.Parse(memory, CultureInfo.InvariantCulture) / 1024 / 1024:F0} GB, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, {Python()}";
    }

    private static string Python()
    {
        var start = new ProcessStartInfo("/usr/bin/python3", ["-c", "import sys, sklearn, pandas; print(f'Python {sys.version.split()[0]}, scikit-learn {sklearn.__version__}, pandas {pandas.__version__}')"]) { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var version = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return version;
    }
}
