using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace ServerlessML.Data;

/// <summary>
/// A compact binary form of a <see cref="Dataset"/> for the splits passed between activities: a JSON header
/// (label, row count, column names, kinds and levels), then each column's floats or category codes as raw
/// little-endian arrays. Writing and reading it is a memory copy, where CSV would mean parsing again.
/// </summary>
public static class TableSerializer
{
    private const int ChunkBytes = 1 << 20;

    private static ReadOnlySpan<byte> Magic => "SMLTABLE1\n"u8;

    private sealed record Header(string Label, int Rows, IReadOnlyList<ColumnHeader> Columns);

    private sealed record ColumnHeader(string Name, ColumnKind Kind, IReadOnlyList<string>? Levels);

    /// <summary>Writes the dataset, or only its <paramref name="rows"/> (in that order) without copying the rest.</summary>
    public static async Task WriteAsync(Dataset dataset, int[]? rows, Stream destination, CancellationToken cancellationToken)
    {
        var count = rows?.Length ?? dataset.RowCount;
        var header = new Header(
            dataset.Label,
            count,
            dataset.Table.Columns.Select(c => new ColumnHeader(c.Name, c.Kind, (c as CategoricalColumn)?.Levels)).ToArray());
        var headerBytes = JsonSerializer.SerializeToUtf8Bytes(header);

        await destination.WriteAsync(Magic.ToArray(), cancellationToken);
        await destination.WriteAsync(BitConverter.GetBytes(headerBytes.Length), cancellationToken);
        await destination.WriteAsync(headerBytes, cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            const int chunkValues = ChunkBytes / sizeof(int);
            foreach (var column in dataset.Table.Columns)
            {
                for (var first = 0; first < count; first += chunkValues)
                {
                    var values = Math.Min(chunkValues, count - first);
                    Gather(column, rows, first, values, buffer);
                    await destination.WriteAsync(buffer.AsMemory(0, values * sizeof(int)), cancellationToken);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static async Task<Dataset> ReadAsync(Stream source, CancellationToken cancellationToken)
    {
        var magic = new byte[Magic.Length];
        await source.ReadExactlyAsync(magic, cancellationToken);
        if (!magic.AsSpan().SequenceEqual(Magic))
        {
            throw new InvalidDataException("Not a ServerlessML table.");
        }

        var headerLength = new byte[sizeof(int)];
        await source.ReadExactlyAsync(headerLength, cancellationToken);
        var headerBytes = new byte[BitConverter.ToInt32(headerLength)];
        await source.ReadExactlyAsync(headerBytes, cancellationToken);
        var header = JsonSerializer.Deserialize<Header>(headerBytes)!;

        var columns = header.Columns
            .Select(c => c.Kind == ColumnKind.Numeric
                ? (Column)new NumericColumn(c.Name, new float[header.Rows])
                : new CategoricalColumn(c.Name, new int[header.Rows], c.Levels ?? []))
            .ToArray();
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            foreach (var column in columns)
            {
                var length = column.Count * sizeof(int);
                for (var offset = 0; offset < length; offset += ChunkBytes)
                {
                    var chunk = Math.Min(ChunkBytes, length - offset);
                    await source.ReadExactlyAsync(buffer.AsMemory(0, chunk), cancellationToken);
                    buffer.AsSpan(0, chunk).CopyTo(ColumnBytes(column).Slice(offset));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new Dataset(new Table(columns), header.Label);
    }

    // Copies values [first, first + count) of the column, or of its listed rows, into buffer as raw bytes.
    private static void Gather(Column column, int[]? rows, int first, int count, byte[] buffer)
    {
        var source = ColumnBytes(column);
        if (rows is null)
        {
            source.Slice(first * sizeof(int), count * sizeof(int)).CopyTo(buffer);
            return;
        }

        var target = MemoryMarshal.Cast<byte, int>(buffer.AsSpan(0, count * sizeof(int)));
        var values = MemoryMarshal.Cast<byte, int>(source);
        for (var i = 0; i < count; i++)
        {
            target[i] = values[rows[first + i]];
        }
    }

    // Both kinds store one 4-byte value per row: a float or a category code.
    private static Span<byte> ColumnBytes(Column column) => column switch
    {
        NumericColumn numeric => MemoryMarshal.AsBytes(numeric.Values.AsSpan()),
        CategoricalColumn categorical => MemoryMarshal.AsBytes(categorical.Codes.AsSpan()),
        _ => throw new InvalidOperationException($"Column '{column.Name}' has an unknown kind."),
    };
}
