namespace ServerlessML.Data;

/// <summary>
/// Values appended into chunks: growing never copies and never holds twice the data, which a doubling array does
/// while a big column is read. When the count is known in advance the first chunk is exactly that big, and
/// <see cref="ToArray"/> hands it over as it is; otherwise it builds the exact-size array once, letting each chunk
/// go as it is copied.
/// </summary>
internal sealed class ChunkedList<T>(int expected = 0)
    where T : struct
{
    private const int ChunkSize = 64 * 1024;

    private readonly List<T[]> _chunks = [];
    private readonly int _firstSize = expected > 0 ? expected : ChunkSize;
    private T[] _current = [];
    private int _used;

    public int Count { get; private set; }

    public T this[int index]
    {
        get => Locate(index, out var offset)[offset];
        set => Locate(index, out var offset)[offset] = value;
    }

    public void Add(T value)
    {
        if (_used == _current.Length)
        {
            _current = new T[_chunks.Count == 0 ? _firstSize : ChunkSize];
            _chunks.Add(_current);
            _used = 0;
        }

        _current[_used++] = value;
        Count++;
    }

    /// <summary>The values as one array; the list is empty afterwards.</summary>
    public T[] ToArray()
    {
        if (_chunks.Count == 1 && _chunks[0].Length == Count)
        {
            var exact = _chunks[0];
            Clear();
            return exact;
        }

        var values = new T[Count];
        var at = 0;
        for (var i = 0; i < _chunks.Count; i++)
        {
            var length = Math.Min(_chunks[i].Length, Count - at);
            _chunks[i].AsSpan(0, length).CopyTo(values.AsSpan(at));
            at += length;
            _chunks[i] = [];
        }

        Clear();
        return values;
    }

    private T[] Locate(int index, out int offset)
    {
        if (index < _firstSize)
        {
            offset = index;
            return _chunks[0];
        }

        offset = (index - _firstSize) % ChunkSize;
        return _chunks[1 + ((index - _firstSize) / ChunkSize)];
    }

    private void Clear()
    {
        _chunks.Clear();
        _current = [];
        _used = 0;
        Count = 0;
    }
}
