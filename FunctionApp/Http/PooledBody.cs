using System.Buffers;

namespace ServerlessML.Http;

/// <summary>A request body in a rented array; <see cref="Dispose"/> gives the array back.</summary>
public sealed class PooledBody(byte[] array) : IDisposable
{
    private byte[] _array = array;

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Memory => _array.AsMemory(0, Length);

    /// <summary>The space after the bytes read so far, grown when full.</summary>
    public Memory<byte> Free
    {
        get
        {
            if (Length == _array.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(_array.Length * 2);
                _array.AsSpan(0, Length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_array);
                _array = larger;
            }

            return _array.AsMemory(Length);
        }
    }

    public void Advance(int count, long limit, string? setting)
    {
        Length += count;
        if (Length > limit)
        {
            throw LengthLimitedStream.TooLarge(limit, setting);
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_array);
        _array = [];
        Length = 0;
    }
}
