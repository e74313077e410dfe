namespace ServerlessML.Data;

/// <summary>Profiles a CSV pushed to it chunk by chunk (see <see cref="CsvProfileSink"/>).</summary>
public sealed class CsvProfiler : IDisposable
{
    private readonly CsvProfileSink _sink;
    private readonly CsvChunkParser _parser;
    private readonly MemoryStream _start = new();
    private bool _hasLineBreak;
    private long _withoutLineBreak;

    /// <param name="limits">The columns and categories allowed (the label and kinds are not used).</param>
    public CsvProfiler(DatasetReadOptions limits)
    {
        _sink = new CsvProfileSink(limits);
        _parser = new CsvChunkParser(_sink);
    }

    public void Append(ReadOnlySpan<byte> chunk)
    {
        if (!_hasLineBreak)
        {
            // Until the first line break, keep the start: data without one is answered as a whole (JSON, one line).
            _hasLineBreak = chunk.IndexOfAny("\r\n"u8) >= 0;
            if (!_hasLineBreak && _start.Length < 64)
            {
                _start.Write(chunk[..Math.Min(chunk.Length, 64)]);
            }

            _withoutLineBreak += chunk.Length;
            if (!_hasLineBreak && _withoutLineBreak > CsvChunkParser.MaxRecordBytes)
            {
                throw OneLine();
            }
        }

        _parser.Append(chunk);
    }

    public DatasetProfile Complete()
    {
        if (!_hasLineBreak)
        {
            throw OneLine();
        }

        _parser.Complete();
        return _sink.Build();
    }

    private InvalidDatasetException OneLine()
    {
        var start = _start.GetBuffer().AsSpan(0, (int)_start.Length);
        return CsvValues.OneLine(start.StartsWith("\uFEFF"u8) ? start[3..] : start);
    }

    public void Dispose()
    {
        _parser.Dispose();
        _start.Dispose();
    }
}
