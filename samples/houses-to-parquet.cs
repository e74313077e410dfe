// Writes samples/houses.parquet: the rows of samples/houses.csv as a typed Parquet file, for trying the Parquet upload.
// Run from the repository root:  dotnet run samples/houses-to-parquet.cs -- samples/houses.csv samples/houses.parquet
// Columns: size, distance and price are doubles, rooms and year 32-bit integers, city and type strings; a missing
// value in the CSV (an empty field) is a null, so the file has the same 10 missing years, 6 distances and 2 cities.
#:package Parquet.Net
using System.Globalization;
using Parquet;
using Parquet.Schema;

var source = args.Length > 0 ? args[0] : "samples/houses.csv";
var target = args.Length > 1 ? args[1] : "samples/houses.parquet";
var lines = File.ReadAllLines(source).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToArray();
string? Text(string value) => value.Length == 0 ? null : value;
double? Number(string value) => value.Length == 0 ? null : double.Parse(value, CultureInfo.InvariantCulture);
int? Whole(string value) => value.Length == 0 ? null : int.Parse(value, CultureInfo.InvariantCulture);

var size = new DataField<double?>("size");
var rooms = new DataField<int?>("rooms");
var year = new DataField<int?>("year");
var distance = new DataField<double?>("distance");
var city = new DataField<string>("city");
var type = new DataField<string>("type");
var price = new DataField<double>("price");

await using var file = File.Create(target);
await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(size, rooms, year, distance, city, type, price), file);
using var group = writer.CreateRowGroup();
await group.WriteAsync<double>(size, lines.Select(f => Number(f[0])).ToArray());
await group.WriteAsync<int>(rooms, lines.Select(f => Whole(f[1])).ToArray());
await group.WriteAsync<int>(year, lines.Select(f => Whole(f[2])).ToArray());
await group.WriteAsync<double>(distance, lines.Select(f => Number(f[3])).ToArray());
await group.WriteAsync(city, lines.Select(f => Text(f[4])).ToArray());
await group.WriteAsync(type, lines.Select(f => Text(f[5])).ToArray());
await group.WriteAsync(price, new ReadOnlyMemory<double>(lines.Select(f => Number(f[6])!.Value).ToArray()));
Console.WriteLine($"Wrote {lines.Length} rows to {target}");
