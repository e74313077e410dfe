using System.Diagnostics;
using nietras.SeparatedValues;
using ServerlessML.Data;

namespace ServerlessML.Bench;

/// <summary>
/// The app's CSV reader (<see cref="CsvTableReader"/>: Sep splitting the records, the domain layer on top inferring
/// kinds, checking every value and naming the line of any error) against raw Sep parsing every field into float
/// columns, on the same file in the same process, alternately, single-threaded and with Sep's parallel enumeration.
/// The difference is the cost of the domain layer. Prints seconds per run of each, and checks that both read the same
/// numbers.
/// </summary>
internal static class CsvParsers
{
    public static async Task<int> CompareAsync(string[] args)
    {
        var options = new Options(args);
        var csv = options.Required("csv");
        var runs = (int)options.Long("runs", 5);
        var ours = new List<double>();
        var sep = new List<double>();
        var sepParallel = new List<double>();
        for (var run = 0; run <= runs; run++)
        {
            var (oursSeconds, oursSum) = await TimeAsync(() => OursAsync(csv));
            var (sepSeconds, sepSum) = await TimeAsync(() => Task.FromResult(SepSum(csv, parallel: false)));
            var (parallelSeconds, parallelSum) = await TimeAsync(() => Task.FromResult(SepSum(csv, parallel: true)));
            if (Math.Abs(oursSum - sepSum) > 1e-6 * Math.Abs(sepSum) || Math.Abs(parallelSum - sepSum) > 1e-6 * Math.Abs(sepSum))
            {
                throw new InvalidOperationException($"The parsers read different numbers: {oursSum} against {sepSum} and {parallelSum}.");
            }

            // The first of each is the JIT's.
            if (run > 0)
            {
                ours.Add(oursSeconds);
                sep.Add(sepSeconds);
                sepParallel.Add(parallelSeconds);
            }
        }

        Cases.Write(options, new { ours, sep, sepParallel });
        return 0;
    }

    private static async Task<(double Seconds, double Sum)> TimeAsync(Func<Task<double>> read)
    {
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var clock = Stopwatch.StartNew();
        var sum = await read();
        return (clock.Elapsed.TotalSeconds, sum);
    }

    // The sum of every value, so that both readers are seen to read the same numbers (and none of it is optimised away).
    // The app's reader gets the file as a stream, as prepare gets its blob.
    private static async Task<double> OursAsync(string path)
    {
        var dataset = await CsvTableReader.ReadAsync(
            _ => Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan)),
            new DatasetReadOptions(),
            CancellationToken.None);
        var sum = 0.0;
        foreach (var column in dataset.Table.Columns.Cast<NumericColumn>())
        {
            var values = column.Values;
            for (var row = 0; row < dataset.RowCount; row++)
            {
                sum += values[row];
            }
        }

        return sum;
    }

    private static double SepSum(string path, bool parallel)
    {
        using var reader = Sep.Reader(o => o with { HasHeader = true }).FromFile(path);
        var width = reader.Header.ColNames.Count;
        var columns = Enumerable.Range(0, width).Select(_ => new List<float>(1 << 20)).ToArray();
        if (parallel)
        {
            // Rows parse in parallel and come back in order; the columns are filled as they arrive.
            foreach (var values in reader.ParallelEnumerate(row =>
            {
                var parsed = new float[width];
                for (var i = 0; i < width; i++)
                {
                    parsed[i] = row[i].Parse<float>();
                }

                return parsed;
            }))
            {
                for (var i = 0; i < width; i++)
                {
                    columns[i].Add(values[i]);
                }
            }
        }
        else
        {
            foreach (var row in reader)
            {
                for (var i = 0; i < width; i++)
                {
                    columns[i].Add(row[i].Parse<float>());
                }
            }
        }

        return columns.Sum(c => c.Sum(v => (double)v));
    }
}
