namespace ServerlessML.Data;

/// <summary>
/// Values appended into fixed-size chunks: growing never copies and never holds twice the data, which a doubling
/// array does while a big column is read. <see cref="ToArray"/> builds the exact-size array once, letting each
/// chunk go as it is copied.
/// </summary>
internal sealed class ChunkedList<T>
    where T : struct
{
    private const int ChunkSize = 64 * 1024;

    private readonly List<T[]> _chunks = [];
    private T[] _current = [];
    private int _used;

    public int Count { get; private set; }

    public T this[int index]
    {
        get => _chunks[index / ChunkSize][index % ChunkSize];
        set => _chunks[index / ChunkSize][index % ChunkSize] = value;
    }

    public void Add(T value)
    {
        if (_used == _current.Length)
        {
            _current = new T[ChunkSize];
            _chunks.Add(_current);
            _used = 0;
        }

        _current[_used++] = value;
        Count++;
    }

    /// <summary>The values as one array; the list is empty afterwards.</summary>
    public T[] ToArray()
    {
        var values = new T[Count];
        for (var i = 0; i < _chunks.Count; i++)
        {
            var length = Math.Min(ChunkSize, Count - (i * ChunkSize));
            _chunks[i].AsSpan(0, length).CopyTo(values.AsSpan(i * ChunkSize));
            _chunks[i] = [];
        }

        _chunks.Clear();
        _current = [];
        _used = 0;
        Count = 0;
        return values;
    }
}
