namespace ServerlessML.Data;

/// <summary>Profiles a CSV pushed to it chunk by chunk (see <see cref="CsvProfileSink"/>).</summary>
public sealed class CsvProfiler : IDisposable
{
    private readonly CsvProfileSink _sink = new();
    private readonly CsvChunkParser _parser;

    public CsvProfiler() => _parser = new CsvChunkParser(_sink);

    public void Append(ReadOnlySpan<byte> chunk) => _parser.Append(chunk);

    public DatasetProfile Complete()
    {
        _parser.Complete();
        return _sink.Build();
    }

    public void Dispose() => _parser.Dispose();
}
