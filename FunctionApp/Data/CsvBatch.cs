namespace ServerlessML.Data;

/// <summary>
/// The whole records one parse call found, as field ranges into its data (or into a scratch buffer for fields whose
/// <c>""</c> escapes had to be undone). Columns can be read from it independently, so in parallel.
/// </summary>
internal sealed class CsvBatch
{
    private CsvFieldRange[] _ranges = new CsvFieldRange[4096];
    private int[] _recordStarts = new int[256];
    private long[] _lines = new long[256];
    private byte[] _scratch = new byte[256];
    private int _rangeCount;
    private int _scratchUsed;
    private int _recordStart;

    public ReadOnlyMemory<byte> Data { get; private set; }

    /// <summary>The number of whole records.</summary>
    public int Count { get; private set; }

    /// <summary>Fields so far in the record being parsed.</summary>
    public int FieldsInRecord => _rangeCount - _recordStart;

    public int FieldCount(int record) => _recordStarts[record + 1] - _recordStarts[record];

    public long Line(int record) => _lines[record];

    public ReadOnlySpan<byte> Field(ReadOnlySpan<byte> data, int record, int field) =>
        Slice(data, _ranges[_recordStarts[record] + field], _scratch);

    public bool IsQuoted(int record, int field) => _ranges[_recordStarts[record] + field].Quoted;

    public CsvFields Record(int record) =>
        new(Data.Span, _ranges.AsSpan(_recordStarts[record], FieldCount(record)), _scratch);

    public static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> data, CsvFieldRange range, byte[] scratch) =>
        range.FromScratch ? scratch.AsSpan(range.Start, range.Length) : data.Slice(range.Start, range.Length);

    public void Reset(ReadOnlyMemory<byte> data)
    {
        Data = data;
        Count = 0;
        _rangeCount = 0;
        _scratchUsed = 0;
        _recordStarts[0] = 0;
    }

    public void BeginRecord(long line)
    {
        _recordStart = _rangeCount;
        if (Count + 1 >= _recordStarts.Length)
        {
            Array.Resize(ref _recordStarts, _recordStarts.Length * 2);
            Array.Resize(ref _lines, _lines.Length * 2);
        }

        _lines[Count] = line;
    }

    public void AddField(CsvFieldRange range)
    {
        if (_rangeCount == _ranges.Length)
        {
            Array.Resize(ref _ranges, _ranges.Length * 2);
        }

        _ranges[_rangeCount++] = range;
    }

    /// <summary>Adds a quoted field's content with its doubled quotes made single.</summary>
    public void AddUnescaped(ReadOnlySpan<byte> content)
    {
        if (_scratch.Length < _scratchUsed + content.Length)
        {
            Array.Resize(ref _scratch, Math.Max(_scratch.Length * 2, _scratchUsed + content.Length));
        }

        var start = _scratchUsed;
        for (var i = 0; i < content.Length; i++)
        {
            _scratch[_scratchUsed++] = content[i];
            if (content[i] == (byte)'"')
            {
                i++;
            }
        }

        AddField(new CsvFieldRange(start, _scratchUsed - start, Quoted: true, FromScratch: true));
    }

    public void EndRecord() => _recordStarts[++Count] = _rangeCount;

    /// <summary>Drops the incomplete record being parsed; returns 0, the bytes it consumed.</summary>
    public int AbandonRecord()
    {
        _rangeCount = _recordStart;
        return 0;
    }
}
