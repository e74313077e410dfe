using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
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
        var options = new Options(args);
        var path = options.Required("csv");
        var total = Stopwatch.StartNew();
        var phases = new Dictionary<string, double>();
        var clock = Stopwatch.StartNew();

        var dataset = await CsvTableReader.ReadAsync(
            _ => Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan)),
            new DatasetReadOptions { Label = options.String("label") },
            CancellationToken.None);
        phases["parse"] = Lap(clock);

        var (train, test) = DatasetSplit.Split(dataset, 0.2, 42);
        dataset = null;
        phases["split"] = Lap(clock);

        var model = ModelTrainer.Train(train, new TrainerOptions(), seed: 42);
        phases["train"] = Lap(clock);

        var metrics = ModelEvaluator.Evaluate(model, FeatureSchema.Of(test), test, train.LabelColumn.Values.Average(v => (double)v));
        phases["evaluate"] = Lap(clock);

        Console.WriteLine(JsonSerializer.Serialize(new
        {
            seconds = total.Elapsed.TotalSeconds,
            phases,
            rSquared = metrics.RSquared,
            rows = train.RowCount + test.RowCount,
            peakMemoryMb = PeakMemoryMb(),
        }));
        return 0;
    }

    private static double Lap(Stopwatch clock)
    {
        var seconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        return Math.Round(seconds, 3);
    }

    // The process's peak resident set (VmHWM), which is what a Functions instance pays for.
    private static double PeakMemoryMb()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
