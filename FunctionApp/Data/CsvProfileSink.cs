using System.Text;
using System.Text.Unicode;

namespace ServerlessML.Data;

/// <summary>
/// Checks a CSV the way training will read it (header, column count, row widths, finite numbers, UTF-8 text) and
/// profiles its columns, keeping only counters and, for text columns, their distinct values up to one more than
/// the limit, so a file of any size can be checked while it streams past.
/// </summary>
internal sealed class CsvProfileSink(DatasetReadOptions options) : ICsvRecordSink
{
    private string[]? _names;
    private bool[] _numeric = [];
    private long[] _missing = [];
    private long[] _present = [];
    private HashSet<string>?[] _levels = [];
    private char[] _chars = new char[256];
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
            _names = CsvValues.Header(fields, line, options.MaxColumns);
            _numeric = [.. _names.Select(_ => true)];
            _missing = new long[_names.Length];
            _present = new long[_names.Length];
            _levels = new HashSet<string>?[_names.Length];
            return;
        }

        CsvValues.CheckWidth(fields, _names.Length, line);
        for (var i = 0; i < _names.Length; i++)
        {
            var value = CsvValues.At(fields, i);
            if (value.IsEmpty)
            {
                _missing[i]++;
                continue;
            }

            _present[i]++;
            if (_numeric[i] && CsvValues.TryNumber(value, _names[i], line, out _))
            {
                continue;
            }

            _numeric[i] = false;
            Count(i, value, line);
        }

        _rows++;
    }

    // Counts a text column's distinct values from the row it turned text on (numbers before it are not counted: the
    // count is a floor, which is what an early refusal needs; reading the data for training counts exactly).
    private void Count(int column, ReadOnlySpan<byte> value, long line)
    {
        if (!Utf8.IsValid(value))
        {
            throw CsvValues.NotUtf8(value, $"Line {line}, column '{_names![column]}'");
        }

        var levels = _levels[column] ??= new HashSet<string>(StringComparer.Ordinal);
        if (levels.Count > options.MaxCategoricalLevels)
        {
            return;
        }

        if (_chars.Length < value.Length)
        {
            _chars = new char[Math.Max(value.Length, _chars.Length * 2)];
        }

        var text = _chars.AsSpan(0, Encoding.UTF8.GetChars(value, _chars));
        var lookup = levels.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.Contains(text))
        {
            lookup.Add(text);
        }
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
            _names.Select((name, i) => _numeric[i]
                ? new ColumnProfile(name, ColumnKind.Numeric, _missing[i])
                : new ColumnProfile(name, ColumnKind.Categorical, _missing[i], _levels[i]?.Count ?? 0)).ToArray());
    }
}
