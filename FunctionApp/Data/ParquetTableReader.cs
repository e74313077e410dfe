using System.Buffers;
using System.Numerics;
using Parquet;
using Parquet.Schema;

namespace ServerlessML.Data;

/// <summary>
/// Reads a Parquet file into a <see cref="Dataset"/>, or profiles one without keeping its values. Numbers (integers,
/// floats, decimals) and booleans (1 and 0) make numeric columns, strings categorical ones; a null is a missing value.
/// The same limits and messages as a CSV apply, with row numbers where a CSV has line numbers.
/// </summary>
public static class ParquetTableReader
{
    /// <summary>The media type of a Parquet body (IANA, 2024).</summary>
    public const string MediaType = "application/vnd.apache.parquet";

    public static async Task<Dataset> ReadAsync(Stream parquet, DatasetReadOptions options, CancellationToken cancellationToken)
    {
        await using var file = await OpenAsync(parquet, options, cancellationToken);
        var label = options.Label ?? file.Fields[^1].Name;
        var builders = DatasetColumns.Create(
            [.. file.Fields.Select(f => f.Name)],
            options with { Kinds = file.Kinds(options.Kinds), ExpectedRows = file.Rows });
        file.CheckLabel(label);
        DatasetLimits.CheckCells(file.Rows, (long)file.Rows * (builders.Length - 1), options.MaxCells);
        await file.ReadAsync([.. builders.Select(b => new BuildTarget(b))], cancellationToken);
        return DatasetColumns.Build(builders, file.Rows, options);
    }

    /// <summary>Checks a Parquet file the way training will read it and describes its columns; like a CSV's profile,
    /// a text column's categories are counted up to one more than allowed, and too many is for training to refuse.</summary>
    public static async Task<DatasetProfile> ProfileAsync(Stream parquet, DatasetReadOptions limits, CancellationToken cancellationToken)
    {
        await using var file = await OpenAsync(parquet, limits, cancellationToken);
        DatasetLimits.CheckColumns(file.Fields.Count, limits.MaxColumns);
        DatasetColumns.CheckNames([.. file.Fields.Select(f => f.Name)]);
        var targets = file.Fields.Select(f => new ProfileTarget(f.Name, file.KindOf(f), limits.MaxCategoricalLevels)).ToArray();
        await file.ReadAsync(targets, cancellationToken);
        return new DatasetProfile(file.Rows, [.. targets.Select(t => t.Build())]);
    }

    private static async Task<ParquetFile> OpenAsync(Stream parquet, DatasetReadOptions options, CancellationToken cancellationToken)
    {
        await CheckMagicAsync(parquet, cancellationToken);
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(parquet, leaveStreamOpen: true, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            throw Unreadable(e);
        }

        try
        {
            return ParquetFile.Check(reader, options);
        }
        catch
        {
            await reader.DisposeAsync();
            throw;
        }
    }

    // A Parquet file starts and ends with 'PAR1'. Checked here because the library says so in its own words, with the
    // bytes it found in hex, which tells a user who sent a CSV under the wrong Content-Type nothing they can act on.
    private static async Task CheckMagicAsync(Stream parquet, CancellationToken cancellationToken)
    {
        var start = parquet.Position;
        var head = new byte[4];
        var tail = new byte[4];
        var whole = parquet.Length - start >= 12;
        if (whole)
        {
            await parquet.ReadExactlyAsync(head, cancellationToken);
            parquet.Position = parquet.Length - tail.Length;
            await parquet.ReadExactlyAsync(tail, cancellationToken);
            parquet.Position = start;
        }

        if (!whole || !head.AsSpan().SequenceEqual("PAR1"u8))
        {
            throw new InvalidDatasetException(
                "The body is not a Parquet file: it does not start and end with 'PAR1'. Send the file's bytes as they are " +
                "(curl --data-binary @file.parquet), or send CSV with Content-Type: text/csv.");
        }

        if (!tail.AsSpan().SequenceEqual("PAR1"u8))
        {
            throw new InvalidDatasetException(
                "The body is not a whole Parquet file: it starts with 'PAR1' but does not end with it, so it was cut short. " +
                "Send the whole file (curl --data-binary @file.parquet).");
        }
    }

    // What the library throws for bytes that are not a Parquet file it can read: the caller's data, so a 400.
    private static bool IsUnreadable(Exception e) =>
        e is not (InvalidDatasetException or LimitExceededException or OperationCanceledException or OutOfMemoryException);

    private static InvalidDatasetException Unreadable(Exception e) => new(
        $"The body is not a Parquet file that can be read ({e.Message.TrimEnd('.')}). Send the whole file as written by pandas, " +
        "DuckDB, Spark or another Parquet writer (curl --data-binary @file.parquet), or send CSV with Content-Type: text/csv.");

    /// <summary>Where a column's values go as they are read.</summary>
    private abstract class ColumnTarget
    {
        /// <param name="row">The row's number in the file, from 1.</param>
        public abstract void AddMissing(long row);

        public abstract void AddNumber(float value);

        public abstract void AddText(ReadOnlySpan<char> value);
    }

    private sealed class BuildTarget(ColumnBuilder builder) : ColumnTarget
    {
        public override void AddMissing(long row)
        {
            if (builder.IsLabel)
            {
                throw new InvalidDatasetException($"Row {row:N0}: the label '{builder.Name}' is null. Every row needs a label value; remove the row or fill it in.");
            }

            builder.AddMissing();
        }

        public override void AddNumber(float value) => builder.AddNumber(value);

        public override void AddText(ReadOnlySpan<char> value) => builder.AddText(value, line: 0);
    }

    private sealed class ProfileTarget(string name, ColumnKind kind, int maxLevels) : ColumnTarget
    {
        private readonly HashSet<string> _levels = new(StringComparer.Ordinal);
        private long _missing;
        private long _present;

        public override void AddMissing(long row) => _missing++;

        public override void AddNumber(float value) => _present++;

        public override void AddText(ReadOnlySpan<char> value)
        {
            _present++;
            var lookup = _levels.GetAlternateLookup<ReadOnlySpan<char>>();
            if (_levels.Count <= maxLevels && !lookup.Contains(value))
            {
                lookup.Add(value);
            }
        }

        public ColumnProfile Build() =>
            _present == 0 ? throw new InvalidDatasetException($"Column '{name}' has no values in any row. Fill it in or remove it.")
            : kind == ColumnKind.Numeric ? new ColumnProfile(name, kind, _missing)
            : new ColumnProfile(name, kind, _missing, _levels.Count);
    }

    /// <summary>An open Parquet file whose schema has been checked: flat columns of types the app can train on.</summary>
    private sealed class ParquetFile(ParquetReader reader, IReadOnlyList<DataField> fields, int rows) : IAsyncDisposable
    {
        public IReadOnlyList<DataField> Fields => fields;

        public int Rows => rows;

        public static ParquetFile Check(ParquetReader reader, DatasetReadOptions options)
        {
            var schema = reader.Schema;
            if (schema.Fields.Count == 0)
            {
                throw new InvalidDatasetException("The Parquet file has no columns. Send a table with feature columns and a label column.");
            }

            DatasetLimits.CheckColumns(schema.Fields.Count, options.MaxColumns);
            var fields = new List<DataField>(schema.Fields.Count);
            foreach (var field in schema.Fields)
            {
                if (field is not DataField { MaxRepetitionLevel: 0 } data)
                {
                    throw new InvalidDatasetException(
                        $"Column '{field.Name}' is a {field.SchemaType.ToString().ToLowerInvariant()}, not a plain column. A dataset's columns hold " +
                        "numbers, booleans or text, one value per row: flatten it or leave it out.");
                }

                if (KindOf(data.ClrType) is null)
                {
                    throw new InvalidDatasetException(
                        $"Column '{data.Name}' holds {Describe(data.ClrType)}, which cannot be trained on. A dataset's columns hold numbers, booleans " +
                        "or text: convert it (a date to a number such as days since a start, for instance) or leave it out.");
                }

                fields.Add(data);
            }

            var total = reader.RowGroups.Sum(g => g.RowCount);
            if (total == 0)
            {
                throw new InvalidDatasetException("The Parquet file has columns but no rows.");
            }

            if (total > Array.MaxLength)
            {
                throw new LimitExceededException($"The Parquet file has {total:N0} rows; at most {Array.MaxLength:N0} can be read. Send fewer rows.");
            }

            return new ParquetFile(reader, fields, (int)total);
        }

        public ColumnKind KindOf(DataField field) => KindOf(field.ClrType)!.Value;

        /// <summary>The kinds the schema gives each column; a kind the run was started with must still hold.</summary>
        public Dictionary<string, ColumnKind> Kinds(IReadOnlyDictionary<string, ColumnKind>? submitted)
        {
            var kinds = fields.ToDictionary(f => f.Name, KindOf, StringComparer.Ordinal);
            foreach (var (name, kind) in submitted ?? new Dictionary<string, ColumnKind>())
            {
                if (!kinds.TryGetValue(name, out var now))
                {
                    throw new InvalidDatasetException($"The dataset has no column '{name}', which it had when it was submitted.");
                }

                if (now != kind)
                {
                    throw new InvalidDatasetException($"Column '{name}' is {now.ToString().ToLowerInvariant()} in the file but was {kind.ToString().ToLowerInvariant()} when the run was submitted.");
                }
            }

            return kinds;
        }

        public void CheckLabel(string label)
        {
            var field = fields.FirstOrDefault(f => f.Name == label);
            if (field is not null && KindOf(field) != ColumnKind.Numeric)
            {
                throw new InvalidDatasetException($"The label '{label}' is a text column; the label must be numeric (an integer, float, double or decimal column).");
            }
        }

        public async Task ReadAsync(ColumnTarget[] targets, CancellationToken cancellationToken)
        {
            long firstRow = 1;
            foreach (var group in reader.RowGroups)
            {
                for (var c = 0; c < fields.Count; c++)
                {
                    var field = fields[c];
                    try
                    {
                        await ReadColumnAsync(group, field, targets[c], firstRow, cancellationToken);
                    }
                    catch (Exception e) when (IsUnreadable(e))
                    {
                        throw new InvalidDatasetException(
                            $"Column '{field.Name}' cannot be read from the Parquet file ({e.Message.TrimEnd('.')}): the file is damaged or cut short. Send the whole file again.");
                    }
                }

                firstRow += group.RowCount;
            }
        }

        private static Task ReadColumnAsync(ParquetRowGroupReader group, DataField field, ColumnTarget target, long firstRow, CancellationToken cancellationToken) =>
            field.ClrType switch
            {
                var t when IsText(t) => ReadValuesAsync<ReadOnlyMemory<char>, Texts>(group, field, target, firstRow, cancellationToken),
                var t when t == typeof(bool) => ReadValuesAsync<bool, Booleans>(group, field, target, firstRow, cancellationToken),
                var t when t == typeof(sbyte) => ReadValuesAsync<sbyte, Numbers<sbyte>>(group, field, target, firstRow, cancellationToken),
                var t when t == typeof(byte) => ReadValuesAsync<byte, Numbers<byte>>(group, field, target, firstRow, cancellationToken),
                var t when t == typeof(short) => ReadValuesAsync<short, Numbers<short>>(group, field, target, firstRow, cancellationToken),
                var t when t == typeof(ushort) => ReadValuesAsync<ushort, Numbers<ushort>>(group, field, target, firstRow, cancellationToken),
                var t when t == typeof(int) => ReadValuesAsync<int, Numbers<int>>(group, field, target, firstRow, cancellationToken),
                var t when t == typeof(uint) => ReadValuesAsync<uint, Numbers<uint>>(group, field, target, firstRow, cancellationToken),
                var t when t == typeof(long) => ReadValuesAsync<long, Numbers<long>>(group, field, target, firstRow, cancellationToken),
                var t when t == typeof(ulong) => ReadValuesAsync<ulong, Numbers<ulong>>(group, field, target, firstRow, cancellationToken),
                var t when t == typeof(Half) => ReadValuesAsync<Half, Numbers<Half>>(group, field, target, firstRow, cancellationToken),
                var t when t == typeof(float) => ReadValuesAsync<float, Numbers<float>>(group, field, target, firstRow, cancellationToken),
                var t when t == typeof(double) => ReadValuesAsync<double, Numbers<double>>(group, field, target, firstRow, cancellationToken),
                var t when t == typeof(decimal) => ReadValuesAsync<decimal, Numbers<decimal>>(group, field, target, firstRow, cancellationToken),
                _ => throw new InvalidOperationException($"Column '{field.Name}' has a type that was not checked."),
            };

        // The one walk over a column chunk's definition levels: a row without a value is missing, every other row takes
        // the next value. TValues is a struct, so each kind of value gets its own compiled loop, as if written out.
        private static async Task ReadValuesAsync<T, TValues>(ParquetRowGroupReader group, DataField field, ColumnTarget target, long firstRow, CancellationToken cancellationToken)
            where T : struct
            where TValues : struct, IColumnValues<T>
        {
            using var column = await RawColumn<T>.ReadAsync(group, field, cancellationToken);
            var values = column.Values;
            var defined = column.Defined;
            for (int row = 0, next = 0; row < column.Rows; row++)
            {
                if (column.Nullable && defined[row] < field.MaxDefinitionLevel)
                {
                    target.AddMissing(firstRow + row);
                }
                else
                {
                    TValues.Add(values[next++], target, field, firstRow + row);
                }
            }
        }

        public ValueTask DisposeAsync() => reader.DisposeAsync();

        private static ColumnKind? KindOf(Type type) =>
            IsText(type) ? ColumnKind.Categorical
            : type == typeof(bool) || type == typeof(sbyte) || type == typeof(byte) || type == typeof(short) || type == typeof(ushort)
              || type == typeof(int) || type == typeof(uint) || type == typeof(long) || type == typeof(ulong) || type == typeof(Half)
              || type == typeof(float) || type == typeof(double) || type == typeof(decimal) ? ColumnKind.Numeric
            : null;

        // Parquet.Net hands text out as ReadOnlyMemory<char> by default, as string when asked to.
        private static bool IsText(Type type) => type == typeof(string) || type == typeof(ReadOnlyMemory<char>);

        private static string Describe(Type type) =>
            type == typeof(DateTime) || type == typeof(DateOnly) ? "dates"
            : type == typeof(TimeSpan) || type == typeof(TimeOnly) ? "times"
            : type == typeof(byte[]) || type == typeof(ReadOnlyMemory<byte>) ? "binary values"
            : type == typeof(Guid) ? "UUIDs"
            : $"values of type {type.Name}";
    }

    /// <summary>What a present value of one Parquet type becomes in a column.</summary>
    private interface IColumnValues<T>
    {
        /// <param name="row">The row's number in the file, from 1.</param>
        static abstract void Add(T value, ColumnTarget target, DataField field, long row);
    }

    private readonly struct Numbers<T> : IColumnValues<T>
        where T : struct, INumberBase<T>
    {
        public static void Add(T value, ColumnTarget target, DataField field, long row)
        {
            var number = float.CreateSaturating(value);
            if (!float.IsFinite(number))
            {
                throw new InvalidDatasetException($"Row {row:N0}, column '{field.Name}': {value} is not a finite 32-bit number.");
            }

            target.AddNumber(number);
        }
    }

    private readonly struct Booleans : IColumnValues<bool>
    {
        public static void Add(bool value, ColumnTarget target, DataField field, long row) => target.AddNumber(value ? 1 : 0);
    }

    private readonly struct Texts : IColumnValues<ReadOnlyMemory<char>>
    {
        // An empty string is missing, as an empty CSV field is.
        public static void Add(ReadOnlyMemory<char> value, ColumnTarget target, DataField field, long row)
        {
            if (value.IsEmpty)
            {
                target.AddMissing(row);
            }
            else
            {
                target.AddText(value.Span);
            }
        }
    }

    /// <summary>One column chunk as the file stores it: the values that are there, and for a nullable column which rows have one.</summary>
    private sealed class RawColumn<T>(T[] values, int[]? defined, int rows) : IDisposable
        where T : struct
    {
        public ReadOnlySpan<T> Values => values;

        public ReadOnlySpan<int> Defined => defined;

        public bool Nullable => defined is not null;

        public int Rows => rows;

        public static async Task<RawColumn<T>> ReadAsync(ParquetRowGroupReader group, DataField field, CancellationToken cancellationToken)
        {
            var rows = checked((int)group.RowCount);
            var values = ArrayPool<T>.Shared.Rent(Math.Max(1, rows));
            var defined = field.MaxDefinitionLevel > 0 ? ArrayPool<int>.Shared.Rent(Math.Max(1, rows)) : null;
            try
            {
                await group.ReadRawAsync<T>(field, values.AsMemory(0, rows), defined is null ? (Memory<int>?)null : defined.AsMemory(0, rows), null, cancellationToken);
                return new RawColumn<T>(values, defined, rows);
            }
            catch
            {
                ArrayPool<T>.Shared.Return(values, RuntimeHelpersIsReference());
                if (defined is not null)
                {
                    ArrayPool<int>.Shared.Return(defined);
                }

                throw;
            }
        }

        public void Dispose()
        {
            ArrayPool<T>.Shared.Return(values, RuntimeHelpersIsReference());
            if (defined is not null)
            {
                ArrayPool<int>.Shared.Return(defined);
            }
        }

        // ReadOnlyMemory<char> holds a reference to the file's text: clear it so the pool does not keep it alive.
        private static bool RuntimeHelpersIsReference() => System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<T>();
    }
}
