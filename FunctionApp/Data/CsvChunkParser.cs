using System.Buffers;

namespace ServerlessML.Data;

/// <summary>
/// Parses a CSV pushed to it in pieces (a request body being uploaded): bytes are written into its buffer, whole
/// records go to the sink, and a record cut by a chunk boundary waits for the next chunk.
/// </summary>
internal sealed class CsvChunkParser(ICsvRecordSink sink) : IDisposable
{
    /// <summary>The longest record accepted: a record is held whole until it ends, so one without an end would
    /// otherwise take as much memory as the upload is long.</summary>
    public const int MaxRecordBytes = 16 * 1024 * 1024;

    private const int MinimumFreeSpace = 64 * 1024;

    private readonly CsvRecordParser _parser = new();
    private readonly CsvBatch _batch = new();
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
    private int _start;
    private int _end;
    private bool _atStart = true;

    /// <summary>Free space to write the next bytes into; call <see cref="Advance"/> with how many were written.</summary>
    public Memory<byte> GetBuffer()
    {
        if (_buffer.Length - _end < MinimumFreeSpace)
        {
            var pending = _end - _start;
            if (pending + MinimumFreeSpace > _buffer.Length)
            {
                // One record is longer than the buffer: make room for it.
                var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, pending + MinimumFreeSpace));
                _buffer.AsSpan(_start, pending).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }
            else
            {
                _buffer.AsSpan(_start, pending).CopyTo(_buffer);
            }

            _start = 0;
            _end = pending;
        }

        return _buffer.AsMemory(_end);
    }

    public void Advance(int count)
    {
        _end += count;
        Parse(final: false);
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var target = GetBuffer().Span;
            var count = Math.Min(target.Length, data.Length);
            data[..count].CopyTo(target);
            data = data[count..];
            Advance(count);
        }
    }

    /// <summary>The input has ended: a last record without a line break counts too.</summary>
    public void Complete() => Parse(final: true);

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);

    private void Parse(bool final)
    {
        if (_atStart)
        {
            if (_end - _start < 3 && !final)
            {
                return;
            }

            if (_buffer.AsSpan(_start, _end - _start).StartsWith("\uFEFF"u8))
            {
                _start += 3;
            }

            _atStart = false;
        }

        _start += _parser.Parse(_buffer.AsMemory(_start, _end - _start), final, _batch);
        if (_batch.Count > 0)
        {
            sink.Records(_batch);
        }

        if (_end - _start > MaxRecordBytes)
        {
            throw new InvalidDatasetException(
                $"The record that starts on line {_parser.Line} is longer than {MaxRecordBytes / (1024 * 1024)} MB. Check that every quoted field is closed, and that lines end with a line break.");
        }
    }
}
