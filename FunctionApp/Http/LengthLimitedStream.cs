using Microsoft.AspNetCore.Http;

namespace ServerlessML.Http;

/// <summary>A request body that refuses (413) to be read past a limit, for bodies streamed rather than buffered.</summary>
/// <param name="setting">The setting that raises the limit, to name in the refusal.</param>
public sealed class LengthLimitedStream(Stream inner, long limit, string? setting = null) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public static ProblemException TooLarge(long limit, string? setting = null) =>
        new(StatusCodes.Status413PayloadTooLarge, "Request body too large",
            setting is null
                ? $"The body is larger than the {limit:N0} bytes allowed. Send less data."
                : $"The body is larger than the {limit:N0} bytes allowed ({setting}). Send less data, or raise the limit.");

    private int Count(int read)
    {
        _read += read;
        return _read > limit ? throw TooLarge(limit, setting) : read;
    }
}
