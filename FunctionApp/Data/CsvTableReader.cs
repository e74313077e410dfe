namespace ServerlessML.Data;

/// <summary>Reads an RFC 4180 CSV with a header row into a <see cref="Dataset"/>, inferring each column's kind.</summary>
public static class CsvTableReader
{
    public static Dataset Read(ReadOnlyMemory<byte> csv, DatasetReadOptions options)
    {
        if (csv.Span.IndexOfAny("\r\n"u8) < 0)
        {
            throw CsvValues.OneLine(csv.Span.StartsWith("\uFEFF"u8) ? csv.Span[3..] : csv.Span);
        }

        var sink = new CsvTableSink(options);
        new CsvPipeline(sink, overlap: true).Run(csv);
        if (sink.NeedsBackfill)
        {
            sink.StartBackfill();
            new CsvPipeline(sink, overlap: false).Run(csv);
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
            await new CsvPipeline(sink, overlap: true).RunAsync(stream, () => false, cancellationToken);
        }

        if (sink.NeedsBackfill)
        {
            sink.StartBackfill();
            await using var stream = await open(cancellationToken);
            await new CsvPipeline(sink, overlap: false).RunAsync(stream, () => sink.BackfillDone, cancellationToken);
        }

        return sink.Build();
    }
}
