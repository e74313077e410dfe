using System.Runtime.CompilerServices;
using System.Text.Unicode;

namespace ServerlessML.Data;

/// <summary>
/// Turns CSV records into columns: the first record is the header, every later one a row. The columns of a batch of
/// rows are parsed in parallel, each by one thread, so nothing is shared; the error reported is still the first a
/// row-by-row reading would meet.
/// </summary>
internal sealed class CsvTableSink(DatasetReadOptions options) : ICsvRecordSink
{
    // Below this many fields a batch is parsed on the calling thread: starting tasks would cost more.
    private const int ParallelFields = 16 * 1024;

    private ColumnBuilder[]? _columns;
    private int _rows;
    private bool _backfilling;
    private int _backfillRow;
    private int _backfillUntil;

    /// <summary>In the second pass, whether every row that needed its text has had it.</summary>
    public bool BackfillDone => _backfilling && _backfillRow >= _backfillUntil;

    public bool NeedsBackfill => _columns is not null && _columns.Any(c => c.TextMissingBefore > 0);

    /// <summary>Starts the second pass, which fills in the text of rows read before their column turned categorical.</summary>
    public void StartBackfill()
    {
        _backfilling = true;
        _backfillRow = -1;
        _backfillUntil = _columns!.Max(c => c.TextMissingBefore);
    }

    public void Records(CsvBatch batch)
    {
        if (_backfilling)
        {
            for (var record = 0; record < batch.Count && !BackfillDone; record++)
            {
                Backfill(batch, record);
            }

            return;
        }

        var first = 0;
        if (_columns is null)
        {
            _columns = DatasetColumns.Create(CsvValues.Header(batch.Record(0), batch.Line(0), options.MaxColumns), options);
            first = 1;
        }

        var columns = _columns;
        var end = first;
        while (end < batch.Count && batch.FieldCount(end) == columns.Length)
        {
            end++;
        }

        var failures = new (long Line, Exception Error)?[columns.Length];
        if ((end - first) * columns.Length < ParallelFields)
        {
            for (var c = 0; c < columns.Length; c++)
            {
                failures[c] = Parse(batch, c, first, end);
            }
        }
        else
        {
            Parallel.For(0, columns.Length, c => failures[c] = Parse(batch, c, first, end));
        }

        // The earliest line wins, then the leftmost column: what reading row by row would have stopped at.
        if (failures.OfType<(long Line, Exception Error)>().OrderBy(f => f.Line).Select(f => f.Error).FirstOrDefault() is { } error)
        {
            throw error;
        }

        if (end < batch.Count)
        {
            CsvValues.CheckWidth(batch.Record(end), columns.Length, batch.Line(end));
        }

        _rows += end - first;
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

    // Parses column c of records [first, end); returns the first problem with its line instead of throwing, so
    // parallel columns can be compared.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (long Line, Exception Error)? Parse(CsvBatch batch, int c, int first, int end)
    {
        var column = _columns![c];
        var data = batch.Data.Span;
        for (var record = first; record < end; record++)
        {
            var value = CsvValues.At(batch.Field(data, record, c), batch.IsQuoted(record, c));
            try
            {
                Add(column, value, batch.Line(record));
            }
            catch (InvalidDatasetException e)
            {
                return (batch.Line(record), e);
            }
        }

        return null;
    }

    private static void Add(ColumnBuilder column, ReadOnlySpan<byte> value, long line)
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
                throw !Utf8.IsValid(value) ? CsvValues.NotUtf8(value, $"Line {line}, column '{column.Name}'") : new InvalidDatasetException(column.IsLabel
                    ? $"Line {line}: the label '{column.Name}' has the value '{ColumnBuilder.Describe(value)}', which is not a number. The label must be numeric."
                    : $"Line {line}, column '{column.Name}': '{ColumnBuilder.Describe(value)}' is not a number.");
            }

            column.BecomeCategorical();
        }

        column.AddText(value, line);
    }

    private void Backfill(CsvBatch batch, int record)
    {
        // The header comes first in the second pass too.
        var row = _backfillRow++;
        if (row < 0)
        {
            return;
        }

        var fields = batch.Record(record);
        foreach (var (column, i) in _columns!.Select((c, i) => (c, i)))
        {
            if (row < column.TextMissingBefore)
            {
                column.SetText(row, CsvValues.At(fields, i), batch.Line(record));
            }
        }
    }
}
