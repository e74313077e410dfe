using System.Globalization;
using System.Text;
using ServerlessML.Data;
using ServerlessML.Storage;

namespace ServerlessML.Tests;

/// <summary>Generated datasets with a known truth: y = 3·x1 − 2·x2 + 5 (+ a city effect) + noise.</summary>
internal static class SyntheticData
{
    public static readonly string[] Cities = ["Oslo", "Bergen", "Tromsø"];

    public static double CityEffect(string city) => city switch
    {
        "Oslo" => 4,
        "Bergen" => -1,
        _ => 0,
    };

    public static double Truth(double x1, double x2, string? city = null) =>
        (3 * x1) - (2 * x2) + 5 + (city is null ? 0 : CityEffect(city));

    /// <summary>A CSV with header x1,x2[,city],y.</summary>
    public static string Csv(int rows, int seed = 1, bool withCity = false, double noise = 0.01, double missingRate = 0)
    {
        var random = new Random(seed);
        var csv = new StringBuilder(withCity ? "x1,x2,city,y\n" : "x1,x2,y\n");
        for (var i = 0; i < rows; i++)
        {
            var x1 = (random.NextDouble() * 10) - 5;
            var x2 = (random.NextDouble() * 4) - 2;
            var city = Cities[random.Next(Cities.Length)];
            var y = Truth(x1, x2, withCity ? city : null) + ((random.NextDouble() - 0.5) * 2 * noise);
            var x1Text = random.NextDouble() < missingRate ? "" : x1.ToString("R", CultureInfo.InvariantCulture);
            csv.Append(x1Text).Append(',')
               .Append(x2.ToString("R", CultureInfo.InvariantCulture)).Append(',');
            if (withCity)
            {
                csv.Append(city).Append(',');
            }

            csv.Append(y.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        return csv.ToString();
    }

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Stages a CSV for a run the way the train function does: parsed and checked, then written typed.</summary>
    public static Task<BlobPath> StageAsync(DatasetStore store, string model, string runId, string csv) =>
        store.StageAsync(model, runId, CsvTableReader.Read(Bytes(csv), new DatasetReadOptions()), DatasetStore.Sha256(Bytes(csv)), CancellationToken.None);

    /// <summary>The rows <see cref="Csv"/> gives for the same arguments, as a Parquet file (x1, x2 and y doubles, city a
    /// string; a missing x1 is null).</summary>
    public static async Task<byte[]> ParquetAsync(int rows, int seed = 1, bool withCity = false, double noise = 0.01, double missingRate = 0)
    {
        var lines = Csv(rows, seed, withCity, noise, missingRate).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1);
        if (withCity)
        {
            return await Infrastructure.ParquetFiles.WriteAsync(lines.Select(l => l.Split(',')).Select(f => new CityRow
            {
                X1 = Number(f[0]), X2 = Number(f[1])!.Value, City = f[2], Y = Number(f[3])!.Value,
            }));
        }

        return await Infrastructure.ParquetFiles.WriteAsync(lines.Select(l => l.Split(',')).Select(f => new Row
        {
            X1 = Number(f[0]), X2 = Number(f[1])!.Value, Y = Number(f[2])!.Value,
        }));
    }

    private static double? Number(string text) => text.Length == 0 ? null : double.Parse(text, CultureInfo.InvariantCulture);

    private sealed class Row
    {
        [System.Text.Json.Serialization.JsonPropertyName("x1")]
        public double? X1 { get; init; }

        [System.Text.Json.Serialization.JsonPropertyName("x2")]
        public double X2 { get; init; }

        [System.Text.Json.Serialization.JsonPropertyName("y")]
        public double Y { get; init; }
    }

    private sealed class CityRow
    {
        [System.Text.Json.Serialization.JsonPropertyName("x1")]
        public double? X1 { get; init; }

        [System.Text.Json.Serialization.JsonPropertyName("x2")]
        public double X2 { get; init; }

        [System.Text.Json.Serialization.JsonPropertyName("city")]
        public string? City { get; init; }

        [System.Text.Json.Serialization.JsonPropertyName("y")]
        public double Y { get; init; }
    }
}
