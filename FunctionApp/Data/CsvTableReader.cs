using System.Runtime.InteropServices;
using nietras.SeparatedValues;

namespace ServerlessML.Data;

/// <summary>Reads an RFC 4180 CSV with a header row into a <see cref="Dataset"/>, inferring each column's kind. Sep
/// splits the records; this layer holds the domain rules: header checks, widths, kinds, missing values, limits.</summary>
public static class CsvTableReader
{
    public static Dataset Read(ReadOnlyMemory<byte> csv, DatasetReadOptions options)
    {
        if (csv.Span.IndexOfAny("\r\n"u8) < 0)
        {
            throw CsvValues.OneLine(csv.Span.StartsWith("\uFEFF"u8) ? csv.Span[3..] : csv.Span);
        }

        var table = new Builder(options);
        Pass(table, csv);
        if (table.NeedsBackfill)
        {
            table.StartBackfill();
            Pass(table, csv);
        }

        return table.Build();
    }

    /// <summary>Reads a CSV stream; <paramref name="open"/> is called a second time only when a column turned
    /// categorical after its first rows, to pick up those rows' text.</summary>
    public static async Task<Dataset> ReadAsync(Func<CancellationToken, Task<Stream>> open, DatasetReadOptions options, CancellationToken cancellationToken)
    {
        var table = new Builder(options);
        await PassAsync(table, open, cancellationToken);
        if (table.NeedsBackfill)
        {
            table.StartBackfill();
            await PassAsync(table, open, cancellationToken);
        }

        return table.Build();
    }

    private static void Pass(Builder table, ReadOnlyMemory<byte> csv)
    {
        using var stream = MemoryMarshal.TryGetArray(csv, out var array)
            ? new MemoryStream(array.Array!, array.Offset, array.Count, writable: false)
            : new MemoryStream(csv.ToArray(), writable: false);
        CsvSource.ForEach(stream, table.Add);
    }

    private static async Task PassAsync(Builder table, Func<CancellationToken, Task<Stream>> open, CancellationToken cancellationToken)
    {
        await using var stream = await open(cancellationToken);
        await CsvSource.ForEachAsync(stream, table.Add, cancellationToken);
    }

    /// <summary>Turns records into columns: the first is the header, every later one a row. A second pass, when
    /// needed, fills in the text of rows read before their column turned categorical.</summary>
    private sealed class Builder(DatasetReadOptions options)
    {
        private ColumnBuilder[]? _columns;
        private int _rows;
        private bool _backfilling;
        private int _backfillRow;
        private int _backfillUntil;

        public bool NeedsBackfill => _columns is not null && _columns.Any(c => c.TextMissingBefore > 0);

        public void StartBackfill()
        {
            _backfilling = true;
            _backfillRow = -1;
            _backfillUntil = _columns!.Max(c => c.TextMissingBefore);
        }

        /// <summary>Takes in one record; false once a second pass has all it needs.</summary>
        public bool Add(SepReader.Row row)
        {
            if (CsvSource.IsBlank(row))
            {
                return true;
            }

            if (_backfilling)
            {
                return Backfill(row);
            }

            if (_columns is null)
            {
                _columns = DatasetColumns.Create(CsvValues.Header(row, options.MaxColumns), options);
                return true;
            }

            var columns = _columns;
            var line = CsvSource.Line(row);
            CsvValues.CheckWidth(row, columns.Length, line);
            for (var c = 0; c < columns.Length; c++)
            {
                Add(columns[c], CsvValues.At(row, c, out var quoted), quoted, line);
            }

            _rows++;
            return true;
        }

        public Dataset Build()
        {
            if (_columns is null)
            {
                throw new InvalidDatasetException("The CSV is empty. Send a header row with the column names, then one row per example.");
            }

            if (_rows == 0)
            {
                throw new InvalidDatasetException("The CSV has a header but no data rows.");
            }

            return DatasetColumns.Build(_columns, _rows, options);
        }

        private static void Add(ColumnBuilder column, ReadOnlySpan<char> value, bool quoted, int line)
        {
            if (value.IsEmpty)
            {
                if (column.IsLabel)
                {
                    throw new InvalidDatasetException($"Line {line}: the label '{column.Name}' is empty. Every row needs a label value; remove the row or fill it in.");
                }

                column.AddMissing();
                return;
            }

            if (column.Kind == ColumnKind.Numeric)
            {
                if (CsvValues.TryNumber(value, column.Name, line, out var number))
                {
                    column.AddNumber(number);
                    return;
                }

                if (!column.MayBecomeCategorical)
                {
                    var text = CsvValues.Text(value, quoted, line, column.Name);
                    throw new InvalidDatasetException(column.IsLabel
                        ? $"Line {line}: the label '{column.Name}' has the value '{ColumnBuilder.Describe(text)}', which is not a number. The label must be numeric."
                        : $"Line {line}, column '{column.Name}': '{ColumnBuilder.Describe(text)}' is not a number.");
                }

                column.BecomeCategorical();
            }

            column.AddText(CsvValues.Text(value, quoted, line, column.Name), line);
        }

        private bool Backfill(SepReader.Row row)
        {
            // The header comes first in the second pass too.
            var index = _backfillRow++;
            if (index < 0)
            {
                return true;
            }

            var line = CsvSource.Line(row);
            for (var c = 0; c < _columns!.Length; c++)
            {
                var column = _columns[c];
                if (index < column.TextMissingBefore)
                {
                    column.SetText(index, CsvValues.Text(CsvValues.At(row, c, out var quoted), quoted, line, column.Name), line);
                }
            }

            return _backfillRow < _backfillUntil;
        }
    }
}
