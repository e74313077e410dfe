using System.Buffers;
using System.Text.Json;
using Parquet;
using Parquet.Schema;

namespace ServerlessML.Data;

/// <summary>
/// A <see cref="Dataset"/> as a Parquet file: the form of the splits passed between activities, which pandas, DuckDB or
/// Spark open as they are. A numeric column is a float column (NaN where a value is missing), a categorical one a string
/// column (null where missing); the label, the kinds and every column's categories in their order go in the file's
/// key-value metadata, so a split reads back as exactly the dataset it was written from, categories absent from it
/// included.
/// </summary>
public static class DatasetParquet
{
    public const string MetadataKey = "serverlessml.dataset";

    // Parquet.Net holds a column chunk's page in a new array while it compresses or decompresses it: at 16,384 rows a
    // float page is 64 KB, under the large-object heap's 85 KB, so that garbage goes with the next cheap collection
    // instead of piling up on the large-object heap (which a 1,000,000-row page did: +300 MB peak for the host).
    private const int RowGroupRows = 1 << 14;

    // The splits are written and read once each, next to the trainer: compressing floats gains little and costs time.
    private static readonly ParquetOptions s_options = new() { CompressionMethod = CompressionMethod.Snappy };

    private sealed record Header(string Label, IReadOnlyList<ColumnHeader> Columns);

    private sealed record ColumnHeader(string Name, ColumnKind Kind, IReadOnlyList<string>? Levels);

    /// <summary>Writes the dataset's <paramref name="rows"/> (all of them when null), in that order.</summary>
    public static async Task WriteAsync(Dataset dataset, int[]? rows, Stream output, CancellationToken cancellationToken)
    {
        var columns = dataset.Table.Columns;
        var count = rows?.Length ?? dataset.RowCount;
        var fields = columns.Select(c => c.Kind == ColumnKind.Numeric ? new DataField<float>(c.Name) : (DataField)new DataField<string>(c.Name, nullable: true)).ToArray();
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), output, s_options, cancellationToken: cancellationToken);
        writer.CustomMetadata = new Dictionary<string, string>
        {
            [MetadataKey] = JsonSerializer.Serialize(new Header(dataset.Label, [.. columns.Select(c => new ColumnHeader(c.Name, c.Kind, (c as CategoricalColumn)?.Levels))])),
        };

        for (var first = 0; first < count; first += RowGroupRows)
        {
            var length = Math.Min(RowGroupRows, count - first);
            using var group = writer.CreateRowGroup();
            for (var c = 0; c < columns.Count; c++)
            {
                var selected = rows is null ? (ReadOnlyMemory<int>?)null : rows.AsMemory(first, length);
                await (columns[c] switch
                {
                    NumericColumn numeric => WriteNumbersAsync(group, fields[c], numeric, selected, first, length, cancellationToken),
                    CategoricalColumn categorical => WriteTextAsync(group, fields[c], categorical, selected, first, length, cancellationToken),
                    _ => throw new InvalidOperationException($"Column '{columns[c].Name}' has an unknown kind."),
                });
            }
        }
    }

    /// <summary>Reads a dataset written by <see cref="WriteAsync"/>. Columns are decoded in parallel, each worker
    /// with a reader of its own over a stream <paramref name="open"/> gives it (seekable, over the same bytes).</summary>
    public static async Task<Dataset> ReadAsync(Func<Stream> open, CancellationToken cancellationToken)
    {
        Header header;
        int rows;
        await using (var reader = await ParquetReader.CreateAsync(open(), leaveStreamOpen: false, cancellationToken: cancellationToken))
        {
            header = (reader.CustomMetadata.TryGetValue(MetadataKey, out var json) ? JsonSerializer.Deserialize<Header>(json) : null)
                ?? throw new InvalidDataException("The Parquet file was not written as a ServerlessML dataset: it has no label or kinds in its metadata.");
            rows = checked((int)reader.RowGroups.Sum(g => g.RowCount));
        }

        var columns = header.Columns
            .Select(c => c.Kind == ColumnKind.Numeric ? (Column)new NumericColumn(c.Name, new float[rows]) : new CategoricalColumn(c.Name, new int[rows], c.Levels ?? []))
            .ToArray();
        var workers = Math.Clamp(Environment.ProcessorCount, 1, Math.Max(1, columns.Length));
        await Parallel.ForEachAsync(Enumerable.Range(0, workers), new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken }, async (worker, token) =>
        {
            await using var reader = await ParquetReader.CreateAsync(open(), leaveStreamOpen: false, cancellationToken: token);
            var fields = reader.Schema.GetDataFields().ToDictionary(f => f.Name, StringComparer.Ordinal);
            for (var c = worker; c < columns.Length; c += workers)
            {
                var field = fields[columns[c].Name];
                var codes = columns[c] is CategoricalColumn { Levels: var levels } ? CodesOf(levels) : null;
                var first = 0;
                foreach (var group in reader.RowGroups)
                {
                    var length = checked((int)group.RowCount);
                    await (columns[c] switch
                    {
                        NumericColumn numeric => group.ReadAsync(field, numeric.Values.AsMemory(first, length), cancellationToken: token).AsTask(),
                        CategoricalColumn categorical => ReadTextAsync(group, field, categorical.Codes.AsMemory(first, length), codes!, token),
                        _ => throw new InvalidOperationException($"Column '{columns[c].Name}' has an unknown kind."),
                    });
                    first += length;
                }
            }
        });
        return new Dataset(new Table(columns), header.Label);
    }

    private static async Task WriteNumbersAsync(ParquetRowGroupWriter group, DataField field, NumericColumn column, ReadOnlyMemory<int>? rows, int first, int length, CancellationToken cancellationToken)
    {
        if (rows is null)
        {
            await group.WriteAsync(field, new ReadOnlyMemory<float>(column.Values, first, length), cancellationToken: cancellationToken);
            return;
        }

        var buffer = ArrayPool<float>.Shared.Rent(length);
        try
        {
            Gather(column.Values, rows.Value.Span, buffer);
            await group.WriteAsync(field, new ReadOnlyMemory<float>(buffer, 0, length), cancellationToken: cancellationToken);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    private static async Task WriteTextAsync(ParquetRowGroupWriter group, DataField field, CategoricalColumn column, ReadOnlyMemory<int>? rows, int first, int length, CancellationToken cancellationToken)
    {
        var levels = column.Levels.Select(l => (ReadOnlyMemory<char>?)l.AsMemory()).ToArray();
        var buffer = ArrayPool<ReadOnlyMemory<char>?>.Shared.Rent(length);
        try
        {
            for (var i = 0; i < length; i++)
            {
                var code = column.Codes[rows is { } r ? r.Span[i] : first + i];
                buffer[i] = code == CategoricalColumn.Missing ? null : levels[code];
            }

            await group.WriteAsync(field, new ReadOnlyMemory<ReadOnlyMemory<char>?>(buffer, 0, length), cancellationToken: cancellationToken);
        }
        finally
        {
            ArrayPool<ReadOnlyMemory<char>?>.Shared.Return(buffer, clearArray: true);
        }
    }

    private static async Task ReadTextAsync(ParquetRowGroupReader group, DataField field, Memory<int> codes, Dictionary<string, int> levels, CancellationToken cancellationToken)
    {
        var length = codes.Length;
        var values = ArrayPool<ReadOnlyMemory<char>>.Shared.Rent(length);
        var defined = ArrayPool<int>.Shared.Rent(length);
        try
        {
            await group.ReadRawAsync(field, values.AsMemory(0, length), defined.AsMemory(0, length), null, cancellationToken);
            var lookup = levels.GetAlternateLookup<ReadOnlySpan<char>>();
            var target = codes.Span;
            for (int row = 0, next = 0; row < length; row++)
            {
                target[row] = defined[row] < field.MaxDefinitionLevel ? CategoricalColumn.Missing
                    : lookup.TryGetValue(values[next++].Span, out var code) ? code
                    : throw new InvalidDataException($"Column '{field.Name}' has a value that is not one of its categories.");
            }
        }
        finally
        {
            ArrayPool<ReadOnlyMemory<char>>.Shared.Return(values, clearArray: true);
            ArrayPool<int>.Shared.Return(defined);
        }
    }

    private static void Gather(float[] values, ReadOnlySpan<int> rows, Span<float> destination)
    {
        for (var i = 0; i < rows.Length; i++)
        {
            destination[i] = values[rows[i]];
        }
    }

    private static Dictionary<string, int> CodesOf(IReadOnlyList<string> levels)
    {
        var codes = new Dictionary<string, int>(levels.Count, StringComparer.Ordinal);
        for (var i = 0; i < levels.Count; i++)
        {
            codes[levels[i]] = i;
        }

        return codes;
    }
}
