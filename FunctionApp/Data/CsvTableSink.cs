using System.Text;

namespace ServerlessML.Data;

/// <summary>Turns CSV records into columns: the first record is the header, every later one a row.</summary>
internal sealed class CsvTableSink(DatasetReadOptions options) : ICsvRecordSink
{
    private ColumnBuilder[]? _columns;
    private char[] _chars = new char[256];
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

    public void Record(CsvFields fields, long line)
    {
        if (_backfilling)
        {
            Backfill(fields, line);
        }
        else if (_columns is null)
        {
            _columns = Header(fields, line);
        }
        else
        {
            Row(fields, line);
        }
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

        var table = new Table(_columns.Select(c => c.Build()).ToArray());
        return new Dataset(table, _columns.Single(c => c.IsLabel).Name);
    }

    private ColumnBuilder[] Header(CsvFields fields, long line) => DatasetColumns.Create(CsvValues.Header(fields, line), options);

    private void Row(CsvFields fields, long line)
    {
        var columns = _columns!;
        CsvValues.CheckWidth(fields.Count, columns.Length, line);

        for (var i = 0; i < columns.Length; i++)
        {
            var column = columns[i];
            var value = CsvValues.At(fields, i);
            if (value.IsEmpty)
            {
                if (column.IsLabel)
                {
                    throw new InvalidDatasetException($"Line {line}: the label '{column.Name}' is empty. Every row needs a label value; remove the row or fill it in.");
                }

                column.AddMissing();
                continue;
            }

            if (column.Kind == ColumnKind.Numeric)
            {
                if (CsvValues.TryNumber(value, column.Name, line, out var number))
                {
                    column.AddNumber(number);
                    continue;
                }

                if (!column.MayBecomeCategorical)
                {
                    throw new InvalidDatasetException(column.IsLabel
                        ? $"Line {line}: the label '{column.Name}' has the value '{ColumnBuilder.Describe(value)}', which is not a number. The label must be numeric."
                        : $"Line {line}, column '{column.Name}': '{ColumnBuilder.Describe(value)}' is not a number.");
                }

                column.BecomeCategorical();
            }

            column.AddText(Decode(value), line);
        }

        _rows++;
    }

    private void Backfill(CsvFields fields, long line)
    {
        // The header comes first in the second pass too.
        var row = _backfillRow++;
        if (row < 0)
        {
            return;
        }

        foreach (var (column, i) in _columns!.Select((c, i) => (c, i)))
        {
            if (row < column.TextMissingBefore)
            {
                column.SetText(row, Decode(CsvValues.At(fields, i)), line);
            }
        }
    }

    private ReadOnlySpan<char> Decode(ReadOnlySpan<byte> utf8)
    {
        if (_chars.Length < utf8.Length)
        {
            _chars = new char[Math.Max(utf8.Length, _chars.Length * 2)];
        }

        var count = Encoding.UTF8.GetChars(utf8, _chars);
        return _chars.AsSpan(0, count);
    }
}
