using System.Runtime.InteropServices;
using System.Text.Json;

namespace ServerlessML.Data;

/// <summary>
/// A compact binary form of a <see cref="Dataset"/> for the splits passed between activities: a prefix (magic and
/// the length of a JSON header with label, row count, column names, kinds and levels), then each column's floats or
/// category codes as raw little-endian arrays. Writing and reading it is a memory copy, where CSV would mean parsing
/// again; and since every column sits at an offset the header gives, columns can be written and read in parallel.
/// </summary>
public static class TableSerializer
{
    /// <summary>The bytes before the header: magic and the header's length.</summary>
    public const int PrefixLength = 14;

    private static ReadOnlySpan<byte> Magic => "SMLTABLE2\n"u8;

    /// <summary>Where each column's bytes are in a serialized table.</summary>
    public sealed record Layout(string Label, int Rows, IReadOnlyList<ColumnHeader> Columns, int HeaderLength)
    {
        public long ColumnOffset(int column) => PrefixLength + HeaderLength + ((long)column * Rows * sizeof(int));

        public int ColumnLength => Rows * sizeof(int);

        /// <summary>Empty columns of the right kinds and sizes, to read the bytes into.</summary>
        public Column[] Allocate() => Columns
            .Select(c => c.Kind == ColumnKind.Numeric
                ? (Column)new NumericColumn(c.Name, new float[Rows])
                : new CategoricalColumn(c.Name, new int[Rows], c.Levels ?? []))
            .ToArray();
    }

    public sealed record ColumnHeader(string Name, ColumnKind Kind, IReadOnlyList<string>? Levels);

    private sealed record Header(string Label, int Rows, IReadOnlyList<ColumnHeader> Columns);

    /// <summary>The prefix and header for the dataset's <paramref name="rows"/> (all of them when null).</summary>
    public static byte[] HeaderBytes(Dataset dataset, int[]? rows)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(new Header(
            dataset.Label,
            rows?.Length ?? dataset.RowCount,
            dataset.Table.Columns.Select(c => new ColumnHeader(c.Name, c.Kind, (c as CategoricalColumn)?.Levels)).ToArray()));
        var bytes = new byte[PrefixLength + header.Length];
        Magic.CopyTo(bytes);
        BitConverter.TryWriteBytes(bytes.AsSpan(Magic.Length), header.Length);
        header.CopyTo(bytes, PrefixLength);
        return bytes;
    }

    /// <summary>Reads a header from the start of a serialized table; null when <paramref name="start"/> is too short to hold it.</summary>
    public static Layout? ReadLayout(ReadOnlySpan<byte> start)
    {
        if (start.Length < PrefixLength)
        {
            return null;
        }

        if (!start.StartsWith(Magic))
        {
            throw new InvalidDataException("Not a ServerlessML table.");
        }

        var length = BitConverter.ToInt32(start[Magic.Length..]);
        if (start.Length < PrefixLength + length)
        {
            return null;
        }

        var header = JsonSerializer.Deserialize<Header>(start.Slice(PrefixLength, length))!;
        return new Layout(header.Label, header.Rows, header.Columns, length);
    }

    /// <summary>Where the header ends, read from the prefix at the start of a serialized table.</summary>
    public static int HeaderEnd(ReadOnlySpan<byte> prefix) => PrefixLength + BitConverter.ToInt32(prefix[Magic.Length..]);

    /// <summary>Copies values [first, first + count) of the column, or of its listed rows, as raw bytes.</summary>
    public static void Gather(Column column, int[]? rows, int first, int count, Span<byte> destination)
    {
        var source = ColumnBytes(column);
        if (rows is null)
        {
            source.Slice(first * sizeof(int), count * sizeof(int)).CopyTo(destination);
            return;
        }

        var target = MemoryMarshal.Cast<byte, int>(destination[..(count * sizeof(int))]);
        var values = MemoryMarshal.Cast<byte, int>(source);
        for (var i = 0; i < count; i++)
        {
            target[i] = values[rows[first + i]];
        }
    }

    /// <summary>A column's values as bytes, to read a serialized column straight into.</summary>
    public static Span<byte> ColumnBytes(Column column) => column switch
    {
        NumericColumn numeric => MemoryMarshal.AsBytes(numeric.Values.AsSpan()),
        CategoricalColumn categorical => MemoryMarshal.AsBytes(categorical.Codes.AsSpan()),
        _ => throw new InvalidOperationException($"Column '{column.Name}' has an unknown kind."),
    };
}
