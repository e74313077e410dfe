namespace ServerlessML.Data;

/// <summary>Reads an RFC 4180 CSV with a header row into a <see cref="Dataset"/>, inferring each column's kind.</summary>
public static class CsvTableReader
{
    public static Dataset Read(ReadOnlyMemory<byte> csv, DatasetReadOptions options)
    {
        csv = SkipByteOrderMark(csv);
        var sink = new CsvTableSink(options);
        new CsvRecordParser().Parse(csv, final: true, sink);
        if (sink.NeedsBackfill)
        {
            sink.StartBackfill();
            new CsvRecordParser().Parse(csv, final: true, sink);
        }

        return sink.Build();
    }

    /// <summary>Reads a CSV stream; <paramref name="open"/> is called a second time only when a column turned
    /// categorical after its first rows, to pick up those rows' text.</summary>
    public static async Task<Dataset> ReadAsync(Func<CancellationToken, Task<Stream>> open, DatasetReadOptions options, CancellationToken cancellationToken)
    {
        var sink = new CsvTableSink(options);
        await using (var stream = await open(cancellationToken))
        {
            await ParseAsync(stream, sink, cancellationToken);
        }

        if (sink.NeedsBackfill)
        {
            sink.StartBackfill();
            await using var stream = await open(cancellationToken);
            await ParseAsync(stream, sink, cancellationToken);
        }

        return sink.Build();
    }

    private static async Task ParseAsync(Stream stream, CsvTableSink sink, CancellationToken cancellationToken)
    {
        using var parser = new CsvChunkParser(sink);
        int read;
        while ((read = await stream.ReadAsync(parser.GetBuffer(), cancellationToken)) > 0)
        {
            parser.Advance(read);
            if (sink.BackfillDone)
            {
                return;
            }
        }

        parser.Complete();
    }

    private static ReadOnlyMemory<byte> SkipByteOrderMark(ReadOnlyMemory<byte> data) =>
        data.Span.StartsWith("\uFEFF"u8) ? data[3..] : data;
}
