using System.IO.Pipelines;
using nietras.SeparatedValues;

namespace ServerlessML.Data;

/// <summary>
/// Checks a CSV pushed to it chunk by chunk the way training will read it (header, column count, row widths, finite
/// numbers, UTF-8 text) and profiles its columns. The chunks go through a pipe of bounded size to Sep, reading on
/// another task; only counters are kept and, for text columns, their distinct values up to one more than the limit,
/// so a file of any size can be checked while it streams past.
/// </summary>
public sealed class CsvProfiler : IDisposable
{
    private readonly DatasetReadOptions _limits;
    private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19, useSynchronizationContext: false));
    private readonly Task<DatasetProfile> _reading;
    private readonly MemoryStream _start = new();
    private bool _hasLineBreak;
    private long _withoutLineBreak;
    private bool _completed;

    private string[]? _names;
    private bool[] _numeric = [];
    private long[] _missing = [];
    private long[] _present = [];
    private HashSet<string>?[] _levels = [];
    private long _rows;

    /// <param name="limits">The columns and categories allowed (the label and kinds are not used).</param>
    public CsvProfiler(DatasetReadOptions limits)
    {
        _limits = limits;
        _reading = Task.Run(ReadAsync);
    }

    /// <summary>Takes the next bytes; throws as soon as the data read so far is refused.</summary>
    public async ValueTask AppendAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken = default)
    {
        if (!_hasLineBreak)
        {
            // Until the first line break, keep the start: data without one is answered as a whole (JSON, one line).
            _hasLineBreak = chunk.Span.IndexOfAny("\r\n"u8) >= 0;
            if (!_hasLineBreak && _start.Length < 64)
            {
                _start.Write(chunk.Span[..Math.Min(chunk.Length, 64)]);
            }

            _withoutLineBreak += chunk.Length;
            if (!_hasLineBreak && _withoutLineBreak > CsvSource.MaxRecordBytes)
            {
                throw OneLine();
            }
        }

        var written = await _pipe.Writer.WriteAsync(chunk, cancellationToken);
        if (written.IsCompleted)
        {
            // The reader stopped early, which it does only on an error: this rethrows it. Before any line break the only
            // error it can meet is the first record outgrowing the record limit: that is data on one line, answered as at
            // the end, whichever side noticed first.
            try
            {
                await _reading;
            }
            catch (InvalidDatasetException) when (!_hasLineBreak)
            {
                throw OneLine();
            }
        }
    }

    public async Task<DatasetProfile> CompleteAsync()
    {
        if (!_hasLineBreak)
        {
            throw OneLine();
        }

        _completed = true;
        await _pipe.Writer.CompleteAsync();
        return await _reading;
    }

    public void Dispose()
    {
        if (!_completed)
        {
            // Abandoned part way: end the reader's input so that its task ends too.
            _pipe.Writer.Complete(new OperationCanceledException("The CSV was not read to its end."));
        }

        _start.Dispose();
    }

    private async Task<DatasetProfile> ReadAsync()
    {
        await using var stream = _pipe.Reader.AsStream();
        await CsvSource.ForEachAsync(stream, Record, CancellationToken.None);

        return Build();
    }

    // Takes one row into the profile; true, since a profile reads to the end (an error ends it by throwing).
    private bool Record(SepReader.Row row)
    {
        if (CsvSource.IsBlank(row))
        {
            return true;
        }

        if (_names is null)
        {
            _names = CsvValues.Header(row, _limits.MaxColumns);
            _numeric = [.. _names.Select(_ => true)];
            _missing = new long[_names.Length];
            _present = new long[_names.Length];
            _levels = new HashSet<string>?[_names.Length];
            return true;
        }

        var line = CsvSource.Line(row);
        CsvValues.CheckWidth(row, _names.Length, line);
        for (var i = 0; i < _names.Length; i++)
        {
            var value = CsvValues.At(row, i, out var quoted);
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
            Count(i, CsvValues.Text(value, quoted, line, _names[i]));
        }

        _rows++;
        return true;
    }

    // Counts a text column's distinct values from the row it turned text on (numbers before it are not counted: the
    // count is a floor, which is what an early refusal needs; reading the data for training counts exactly).
    private void Count(int column, ReadOnlySpan<char> value)
    {
        var levels = _levels[column] ??= new HashSet<string>(StringComparer.Ordinal);
        if (levels.Count > _limits.MaxCategoricalLevels)
        {
            return;
        }

        var lookup = levels.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.Contains(value))
        {
            lookup.Add(value);
        }
    }

    private DatasetProfile Build()
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

    private InvalidDatasetException OneLine()
    {
        var start = _start.GetBuffer().AsSpan(0, (int)_start.Length);
        return CsvValues.OneLine(start.StartsWith("\uFEFF"u8) ? start[3..] : start);
    }
}
