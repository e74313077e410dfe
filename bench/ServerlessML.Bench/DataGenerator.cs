using System.Globalization;
using System.Text;

namespace ServerlessML.Bench;

/// <summary>
/// Writes a CSV with a known linear truth: y = Σ wᵢ·xᵢ + 5 (+ a city effect) + Gaussian noise (σ = 0.5), features
/// uniform in [-10, 10] with 6 significant digits, as a data export would have them.
/// </summary>
internal static class DataGenerator
{
    public static int Run(string[] args)
    {
        var options = new Options(args);
        var rows = options.Long("rows", 1_000_000);
        var features = (int)options.Long("features", 20);
        var random = new Random((int)options.Long("seed", 7));
        var categorical = options.Flag("categorical");
        var weights = Enumerable.Range(0, features).Select(i => Math.Round((random.NextDouble() * 6) - 3, 2)).ToArray();
        string[] cities = ["Oslo", "Bergen", "Trondheim", "Stavanger", "Tromsø"];
        double[] cityEffects = [4, -1, 2, 0.5, -3];

        using var writer = new StreamWriter(options.Required("out"), append: false, new UTF8Encoding(false), 1 << 20);
        writer.Write(string.Join(',', Enumerable.Range(1, features).Select(i => $"x{i}")));
        writer.WriteLine(categorical ? ",city,y" : ",y");
        var line = new StringBuilder();
        var x = new double[features];
        for (long row = 0; row < rows; row++)
        {
            line.Clear();
            var y = 5.0;
            for (var i = 0; i < features; i++)
            {
                x[i] = Math.Round((random.NextDouble() * 20) - 10, 4);
                y += weights[i] * x[i];
                line.Append(x[i].ToString(CultureInfo.InvariantCulture)).Append(',');
            }

            if (categorical)
            {
                var city = random.Next(cities.Length);
                y += cityEffects[city];
                line.Append(cities[city]).Append(',');
            }

            y += Gaussian(random) * 0.5;
            line.Append(Math.Round(y, 4).ToString(CultureInfo.InvariantCulture));
            writer.WriteLine(line);
        }

        return 0;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
