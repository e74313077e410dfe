namespace ServerlessML.Data;

/// <summary>
/// Reads a CSV in chunks with two stages overlapping: while the sink takes in one chunk's records (its columns in
/// parallel), the next chunk is read and tokenized. Two batches alternate, so a chunk's bytes and field ranges
/// stay untouched until the sink is done with them. An error in an earlier chunk wins over one in a later chunk.
/// </summary>
internal sealed class CsvPipeline(ICsvRecordSink sink, bool overlap)
{
    private const int ChunkSize = 1 << 20;

    private readonly CsvRecordParser _parser = new();
    private readonly CsvBatch[] _batches = [new(), new()];
    private int _next;
    private Task _pending = Task.CompletedTask;

    /// <summary>Reads CSV bytes already in memory, a chunk at a time (no copies: chunks are slices).</summary>
    public void Run(ReadOnlyMemory<byte> csv)
    {
        csv = SkipByteOrderMark(csv);
        var size = ChunkSize;
        while (!csv.IsEmpty)
        {
            var final = csv.Length <= size;
            var consumed = Push(final ? csv : csv[..size], final);
            if (final)
            {
                break;
            }

            // No whole record in the chunk: one record is longer than it, so look further.
            size = consumed == 0 ? size * 2 : ChunkSize;
            csv = csv[consumed..];
        }

        Wait();
    }

    /// <summary>Reads a CSV stream; stops early once <paramref name="enough"/> says so (checked between chunks).</summary>
    public async Task RunAsync(Stream stream, Func<bool> enough, CancellationToken cancellationToken)
    {
        byte[][] buffers = [new byte[ChunkSize], new byte[ChunkSize]];
        var current = 0;
        var carried = 0;
        var atStart = true;
        while (true)
        {
            var buffer = buffers[current];
            var filled = carried;
            var ended = false;
            while (filled < buffer.Length)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
                if (read == 0)
                {
                    ended = true;
                    break;
                }

                filled += read;
            }

            var start = atStart && buffer.AsSpan(0, filled).StartsWith("\uFEFF"u8) ? 3 : 0;
            atStart = false;
            var consumed = start + Push(buffer.AsMemory(start, filled - start), ended);
            if (ended || enough())
            {
                break;
            }

            // Carry the cut record over to the other buffer, which the sink has finished with (Push waited for it).
            var tail = filled - consumed;
            var other = current ^ 1;
            if (tail + (ChunkSize / 4) > buffers[other].Length)
            {
                buffers[other] = new byte[Math.Max(buffers[other].Length * 2, tail + ChunkSize)];
            }

            buffer.AsSpan(consumed, tail).CopyTo(buffers[other]);
            carried = tail;
            current = other;
        }

        Wait();
    }

    // Tokenizes a chunk into the next batch, then hands that batch to the sink once the previous one is taken in.
    private int Push(ReadOnlyMemory<byte> chunk, bool final)
    {
        var batch = _batches[_next];
        _next ^= 1;
        int consumed;
        try
        {
            consumed = _parser.Parse(chunk, final, batch);
        }
        catch
        {
            Wait();
            throw;
        }

        Wait();
        if (batch.Count > 0)
        {
            if (overlap)
            {
                _pending = Task.Run(() => sink.Records(batch));
            }
            else
            {
                sink.Records(batch);
            }
        }

        return consumed;
    }

    // Rethrows what the sink threw: the earlier chunk's error is the one a row-by-row read would report.
    private void Wait()
    {
        var pending = _pending;
        _pending = Task.CompletedTask;
        pending.GetAwaiter().GetResult();
    }

    private static ReadOnlyMemory<byte> SkipByteOrderMark(ReadOnlyMemory<byte> data) =>
        data.Span.StartsWith("\uFEFF"u8) ? data[3..] : data;
}
