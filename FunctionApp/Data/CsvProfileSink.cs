namespace ServerlessML.Data;

/// <summary>
/// Checks a CSV the way training will read it (header, row widths, finite numbers) and profiles its columns,
/// keeping only counters, so a file of any size can be checked while it streams past.
/// </summary>
internal sealed class CsvProfileSink : ICsvRecordSink
{
    private string[]? _names;
    private bool[] _numeric = [];
    private long[] _missing = [];
    private long[] _present = [];
    private long _rows;

    public void Records(CsvBatch batch)
    {
        for (var record = 0; record < batch.Count; record++)
        {
            Record(batch.Record(record), batch.Line(record));
        }
    }

    private void Record(CsvFields fields, long line)
    {
        if (_names is null)
        {
            _names = CsvValues.Header(fields, line);
            _numeric = [.. _names.Select(_ => true)];
            _missing = new long[_names.Length];
            _present = new long[_names.Length];
            return;
        }

        CsvValues.CheckWidth(fields.Count, _names.Length, line);
        for (var i = 0; i < _names.Length; i++)
        {
            var value = CsvValues.At(fields, i);
            if (value.IsEmpty)
            {
                _missing[i]++;
                continue;
            }

            _present[i]++;
            if (_numeric[i] && !CsvValues.TryNumber(value, _names[i], line, out _))
            {
                _numeric[i] = false;
            }
        }

        _rows++;
    }

    public DatasetProfile Build()
    {
        if (_names is null)
        {
            throw new InvalidDatasetException("The CSV is empty. Send a header row with the column names, then one row per example.");
        }

        if (_rows == 0)
        {
            throw new InvalidDatasetException("The CSV has a header but no data rows.");
        }

        var empty = Array.FindIndex(_present, p => p == 0);
        if (empty >= 0)
        {
            throw new InvalidDatasetException($"Column '{_names[empty]}' has no values in any row. Fill it in or remove it.");
        }

        return new DatasetProfile(
            _rows,
            _names.Select((name, i) => new ColumnProfile(name, _numeric[i] ? ColumnKind.Numeric : ColumnKind.Categorical, _missing[i])).ToArray());
    }
}
