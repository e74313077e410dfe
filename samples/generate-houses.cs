// Writes samples/houses.csv: 400 made-up Norwegian home sales, for trying ServerlessML out.
// Run from the repository root:  dotnet run samples/generate-houses.cs -- samples/houses.csv
// The data is synthetic (no real sales), and the same on every run: a fixed seed drives everything.
//
// Price, in millions of NOK, is a city's price per m² times the size, plus effects of the kind of home, its age,
// its distance from the centre and its rooms, plus noise. The city-by-size part is not linear in the features a
// linear model sees, so a good fit explains most, not all, of the variance (R² around 0.95), like real data.
using System.Globalization;
using System.Text;

var path = args.Length > 0 ? args[0] : "samples/houses.csv";
var random = new Random(20261128);
var cities = new (string Name, double PerSquareMetre, double Weight)[]
{
    ("Oslo", 0.078, 0.35), ("Bergen", 0.052, 0.2), ("Trondheim", 0.05, 0.17), ("Stavanger", 0.049, 0.15), ("Tromsø", 0.046, 0.13),
};
var types = new (string Name, double Effect, double MeanSize)[]
{
    ("apartment", 0.0, 62), ("townhouse", 0.35, 110), ("detached", 0.8, 155),
};

var csv = new StringBuilder("size,rooms,year,distance,city,type,price\n");
for (var i = 0; i < 400; i++)
{
    var city = Pick(cities, c => c.Weight);
    var type = types[random.Next(types.Length)];
    var size = Math.Round(Math.Clamp(type.MeanSize + (Normal() * type.MeanSize * 0.3), 22, 320));
    var rooms = (int)Math.Clamp(Math.Round((size / 28) + (Normal() * 0.7)), 1, 9);
    var year = random.Next(1900, 2025);
    var distance = Math.Round(Math.Clamp(Math.Abs(Normal() * (type.Name == "apartment" ? 4 : 9)) + 0.3, 0.3, 40), 1);
    var price = 0.6 + (city.PerSquareMetre * size) + type.Effect + (0.006 * (year - 1960)) - (0.07 * distance) + (0.08 * rooms) + (Normal() * 0.3);

    // A few values are missing, as in real exports: unknown build years, unmeasured distances, a blank city.
    csv.Append(Number(size)).Append(',')
       .Append(rooms.ToString(CultureInfo.InvariantCulture)).Append(',')
       .Append(random.NextDouble() < 0.03 ? "" : year.ToString(CultureInfo.InvariantCulture)).Append(',')
       .Append(random.NextDouble() < 0.02 ? "" : Number(distance)).Append(',')
       .Append(random.NextDouble() < 0.01 ? "" : city.Name).Append(',')
       .Append(type.Name).Append(',')
       .Append(Math.Round(Math.Max(price, 0.5), 2).ToString("0.00", CultureInfo.InvariantCulture)).Append('\n');
}

File.WriteAllText(path, csv.ToString());
Console.WriteLine($"Wrote 400 rows to {path}");

static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

// Box–Muller: a standard normal from two uniforms.
double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

T Pick<T>(T[] items, Func<T, double> weight)
{
    var target = random.NextDouble() * items.Sum(weight);
    foreach (var item in items)
    {
        target -= weight(item);
        if (target <= 0)
        {
            return item;
        }
    }

    return items[^1];
}
