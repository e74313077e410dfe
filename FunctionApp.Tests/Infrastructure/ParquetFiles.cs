using Parquet.Serialization;

namespace ServerlessML.Tests.Infrastructure;

/// <summary>Parquet files for tests, written by Parquet.Net from plain rows.</summary>
public static class ParquetFiles
{
    public static async Task<byte[]> WriteAsync<T>(IEnumerable<T> rows)
    {
        using var stream = new MemoryStream();
        await ParquetSerializer.SerializeAsync(rows, stream);
        return stream.ToArray();
    }

    /// <summary>A house price table: a numeric and a text feature, a boolean, some values missing, a decimal label.</summary>
    public static Task<byte[]> HousesAsync(int rows = 40) => WriteAsync(Enumerable.Range(0, rows).Select(i => new House
    {
        Size = 50 + i,
        City = i % 7 == 3 ? null : i % 2 == 0 ? "Oslo" : "Bergen",
        Rooms = i % 5 == 4 ? null : 1 + (i % 4),
        Garden = i % 3 == 0,
        Price = 1.5m + (0.1m * i) + (i % 2 == 0 ? 2m : 0m),
    }));

    public sealed class House
    {
        public double Size { get; init; }

        public string? City { get; init; }

        public int? Rooms { get; init; }

        public bool Garden { get; init; }

        public decimal Price { get; init; }
    }
}
