using System.Buffers;

namespace ServerlessML.Data;

/// <summary>Reads an RFC 4180 CSV with a header row into a <see cref="Dataset"/>, inferring each column's kind.</summary>
public static class CsvTableReader
{
    private const int ChunkSize = 1 << 20;

    public static Dataset Read(ReadOnlySpan<byte> csv, DatasetReadOptions options)
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
        var parser = new CsvRecordParser();
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var start = 0;
        var end = 0;
        var atStart = true;
        try
        {
            while (true)
            {
                if (end == buffer.Length)
                {
                    if (start > 0)
                    {
                        buffer.AsSpan(start, end - start).CopyTo(buffer);
                        end -= start;
                        start = 0;
                    }
                    else
                    {
                        // A single record longer than the buffer.
                        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, end).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                }

                var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken);
                end += read;
                var final = read == 0;
                if (atStart && (end >= 3 || final))
                {
                    start += end - start - SkipByteOrderMark(buffer.AsSpan(start, end - start)).Length;
                    atStart = false;
                }

                if (!atStart)
                {
                    start += parser.Parse(buffer.AsSpan(start, end - start), final, sink);
                }

                if (final || sink.BackfillDone)
                {
                    return;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static ReadOnlySpan<byte> SkipByteOrderMark(ReadOnlySpan<byte> data) =>
        data.StartsWith("\uFEFF"u8) ? data[3..] : data;
}
