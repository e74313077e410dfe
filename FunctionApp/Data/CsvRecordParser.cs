using System.Buffers;
using System.Runtime.CompilerServices;

namespace ServerlessML.Data;

/// <summary>Receives the records a <see cref="CsvRecordParser"/> finds, a batch of whole records at a time.</summary>
internal interface ICsvRecordSink
{
    /// <summary>The whole records of one <see cref="CsvRecordParser.Parse"/> call; valid only during this call.</summary>
    void Records(CsvBatch batch);
}

/// <summary>The fields of one record, already unquoted.</summary>
internal readonly ref struct CsvFields(ReadOnlySpan<byte> data, ReadOnlySpan<CsvFieldRange> ranges, byte[] scratch)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private readonly ReadOnlySpan<CsvFieldRange> _ranges = ranges;

    public int Count => _ranges.Length;

    public ReadOnlySpan<byte> this[int index] => CsvBatch.Slice(_data, _ranges[index], scratch);

    public bool IsQuoted(int index) => _ranges[index].Quoted;
}

internal readonly record struct CsvFieldRange(int Start, int Length, bool Quoted, bool FromScratch);

/// <summary>
/// An RFC 4180 tokenizer over UTF-8 bytes: quoted fields (with <c>""</c> escapes and embedded line breaks),
/// CRLF, LF or CR line ends, blank lines skipped. It hands over whole records only, so a caller can feed it a
/// stream chunk by chunk and it never splits a field across calls.
/// </summary>
internal sealed class CsvRecordParser
{
    private static readonly SearchValues<byte> s_fieldEnd = SearchValues.Create(",\r\n"u8);

    private CsvBatch _batch = new();
    private long _line = 1;

    /// <summary>The line the next record starts on.</summary>
    public long Line => _line;

    /// <summary>Parses the whole records at the start of <paramref name="memory"/> into <paramref name="batch"/> and
    /// returns how many bytes they took. With <paramref name="final"/> the data is the end of the input, so a last
    /// record without a line break counts too.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Parse(ReadOnlyMemory<byte> memory, bool final, CsvBatch batch)
    {
        var data = memory.Span;
        _batch = batch;
        _batch.Reset(memory);
        var pos = 0;
        while (pos < data.Length)
        {
            var first = data[pos];
            if (first is (byte)'\n' or (byte)'\r')
            {
                var lineEnd = LineEndLength(data, pos, final);
                if (lineEnd == 0)
                {
                    break;
                }

                pos += lineEnd;
                _line++;
                continue;
            }

            var consumed = TryRecord(data, pos, final);
            if (consumed == 0)
            {
                break;
            }

            pos += consumed;
        }

        return pos;
    }

    // Length of the line break at pos (1 or 2), or 0 when a CR is the last byte and more input may follow.
    private static int LineEndLength(ReadOnlySpan<byte> data, int pos, bool final)
    {
        if (data[pos] == (byte)'\n')
        {
            return 1;
        }

        if (pos + 1 < data.Length)
        {
            return data[pos + 1] == (byte)'\n' ? 2 : 1;
        }

        return final ? 1 : 0;
    }

    // Parses one record starting at offset into the batch; returns the bytes it took including its line break, or 0
    // when the record is not complete yet (and then leaves the batch as it was).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int TryRecord(ReadOnlySpan<byte> data, int offset, bool final)
    {
        var startLine = _line;
        var linesInside = 0;
        var pos = offset;
        _batch.BeginRecord(startLine);
        while (true)
        {
            if (pos < data.Length && data[pos] == (byte)'"')
            {
                var close = FindClosingQuote(data, pos + 1, out var escapes, out var newlines);
                if (close < 0 || (close + 1 == data.Length && !final))
                {
                    if (final && close < 0)
                    {
                        throw new InvalidDatasetException($"Line {startLine}: a quoted field is never closed. Close it with a '\"', and write a quote inside a quoted field as '\"\"'.");
                    }

                    return _batch.AbandonRecord();
                }

                linesInside += newlines;
                if (escapes > 0)
                {
                    _batch.AddUnescaped(data[(pos + 1)..close]);
                }
                else
                {
                    _batch.AddField(new CsvFieldRange(pos + 1, close - pos - 1, Quoted: true, FromScratch: false));
                }

                pos = close + 1;
                if (pos < data.Length && !s_fieldEnd.Contains(data[pos]))
                {
                    throw new InvalidDatasetException($"Line {startLine + linesInside}: unexpected text after the closing quote of field {_batch.FieldsInRecord}. Quote the whole field, and write a quote inside it as '\"\"'.");
                }
            }
            else
            {
                var length = data[pos..].IndexOfAny(s_fieldEnd);
                if (length < 0)
                {
                    if (!final)
                    {
                        return _batch.AbandonRecord();
                    }

                    length = data.Length - pos;
                }

                _batch.AddField(new CsvFieldRange(pos, length, Quoted: false, FromScratch: false));
                pos += length;
            }

            if (pos == data.Length)
            {
                if (!final)
                {
                    return _batch.AbandonRecord();
                }

                break;
            }

            if (data[pos] == (byte)',')
            {
                pos++;
                if (pos == data.Length)
                {
                    if (!final)
                    {
                        return _batch.AbandonRecord();
                    }

                    _batch.AddField(new CsvFieldRange(pos, 0, Quoted: false, FromScratch: false));
                    break;
                }

                continue;
            }

            var lineEnd = LineEndLength(data, pos, final);
            if (lineEnd == 0)
            {
                return _batch.AbandonRecord();
            }

            pos += lineEnd;
            linesInside++;
            break;
        }

        _batch.EndRecord();
        _line = startLine + linesInside;
        return pos - offset;
    }

    private static int FindClosingQuote(ReadOnlySpan<byte> data, int from, out int escapes, out int newlines)
    {
        escapes = 0;
        newlines = 0;
        var pos = from;
        while (true)
        {
            var quote = data[pos..].IndexOf((byte)'"');
            if (quote < 0)
            {
                return -1;
            }

            newlines += data.Slice(pos, quote).Count((byte)'\n');
            pos += quote;
            if (pos + 1 < data.Length && data[pos + 1] == (byte)'"')
            {
                escapes++;
                pos += 2;
                continue;
            }

            return pos;
        }
    }
}
