using System.Diagnostics;
using ServerlessML.Data;
using ServerlessML.ML;

namespace ServerlessML.Bench;

/// <summary>
/// The training path the activities run, timed phase by phase on a local file: CSV bytes → parsed columns → seeded
/// split → pipeline → SDCA → evaluated. Prints one JSON line.
/// </summary>
internal static class TrainingPath
{
    public static async Task<int> RunAsync(string[] args)
    {
        // Repeats show a warm process, one that has trained before, as a Functions instance is after its first run.
        var options = new Options(args);
        var results = new List<Result>();
        for (var run = 0; run < options.Long("repeat", 1); run++)
        {
            results.Add(await MeasureAsync(options.Required("csv"), options.String("label")));
        }

        var first = results[0];
        Cases.Write(options, new
        {
            seconds = first.Seconds,
            phases = first.Phases,
            repeats = results.Select(r => r.Seconds),
            rSquared = first.RSquared,
            rows = first.Rows,
            peakMemoryMb = Memory.PeakMb(),
        });
        return 0;
    }

    public sealed record Result(double Seconds, Dictionary<string, double> Phases, double? RSquared, int Rows);

    public static async Task<Result> MeasureAsync(string path, string? label = null)
    {
        var total = Stopwatch.StartNew();
        var phases = new Dictionary<string, double>();
        var clock = Stopwatch.StartNew();

        var dataset = await CsvTableReader.ReadAsync(
            _ => Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan)),
            new DatasetReadOptions { Label = label },
            CancellationToken.None);
        phases["parse"] = Lap(clock);

        var (train, test) = DatasetSplit.Split(dataset, 0.2, 42);
        dataset = null;
        phases["split"] = Lap(clock);

        var model = ModelTrainer.Train(train, new TrainerOptions(), seed: 42);
        phases["train"] = Lap(clock);

        var metrics = ModelEvaluator.Evaluate(model, FeatureSchema.Of(test), test, train.LabelColumn.Values.Average(v => (double)v));
        phases["evaluate"] = Lap(clock);

        return new Result(total.Elapsed.TotalSeconds, phases, metrics.RSquared, train.RowCount + test.RowCount);
    }

    private static double Lap(Stopwatch clock)
    {
        var seconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        return Math.Round(seconds, 3);
    }
}
