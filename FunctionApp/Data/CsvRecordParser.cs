using System.Buffers;

namespace ServerlessML.Data;

/// <summary>Receives the records a <see cref="CsvRecordParser"/> finds, one whole record at a time.</summary>
internal interface ICsvRecordSink
{
    /// <summary>One record: <paramref name="fields"/> holds its fields, already unquoted; <paramref name="line"/> is the 1-based line it starts on.</summary>
    void Record(CsvFields fields, long line);
}

/// <summary>The fields of one record, valid only during the <see cref="ICsvRecordSink.Record"/> call.</summary>
internal readonly ref struct CsvFields(ReadOnlySpan<byte> data, ReadOnlySpan<CsvFieldRange> ranges, byte[] scratch)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private readonly ReadOnlySpan<CsvFieldRange> _ranges = ranges;

    public int Count => _ranges.Length;

    public ReadOnlySpan<byte> this[int index]
    {
        get
        {
            var range = _ranges[index];
            return range.FromScratch ? scratch.AsSpan(range.Start, range.Length) : _data.Slice(range.Start, range.Length);
        }
    }

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

    private CsvFieldRange[] _ranges = new CsvFieldRange[64];
    private byte[] _scratch = new byte[256];
    private long _line = 1;

    /// <summary>Parses the whole records at the start of <paramref name="data"/> and returns how many bytes they took.
    /// With <paramref name="final"/> the data is the end of the input, so a last record without a line break counts too.</summary>
    public int Parse(ReadOnlySpan<byte> data, bool final, ICsvRecordSink sink)
    {
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

            var consumed = TryRecord(data[pos..], final, sink);
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

    // Parses one record at the start of data; returns the bytes it took including its line break, or 0 when
    // the record is not complete yet.
    private int TryRecord(ReadOnlySpan<byte> data, bool final, ICsvRecordSink sink)
    {
        var startLine = _line;
        var linesInside = 0;
        var fieldCount = 0;
        var scratchUsed = 0;
        var pos = 0;
        while (true)
        {
            CsvFieldRange range;
            if (pos < data.Length && data[pos] == (byte)'"')
            {
                var close = FindClosingQuote(data, pos + 1, out var escapes, out var newlines);
                if (close < 0 || (close + 1 == data.Length && !final))
                {
                    if (final && close < 0)
                    {
                        throw new InvalidDatasetException($"Line {startLine}: a quoted field is never closed. Close it with a '\"', and write a quote inside a quoted field as '\"\"'.");
                    }

                    return 0;
                }

                linesInside += newlines;
                var content = data[(pos + 1)..close];
                if (escapes > 0)
                {
                    var length = Unescape(content, ref scratchUsed);
                    range = new CsvFieldRange(scratchUsed - length, length, Quoted: true, FromScratch: true);
                }
                else
                {
                    range = new CsvFieldRange(pos + 1, content.Length, Quoted: true, FromScratch: false);
                }

                pos = close + 1;
                if (pos < data.Length && !s_fieldEnd.Contains(data[pos]))
                {
                    throw new InvalidDatasetException($"Line {startLine + linesInside}: unexpected text after the closing quote of field {fieldCount + 1}. Quote the whole field, and write a quote inside it as '\"\"'.");
                }
            }
            else
            {
                var length = data[pos..].IndexOfAny(s_fieldEnd);
                if (length < 0)
                {
                    if (!final)
                    {
                        return 0;
                    }

                    length = data.Length - pos;
                }

                range = new CsvFieldRange(pos, length, Quoted: false, FromScratch: false);
                pos += length;
            }

            Add(ref fieldCount, range);
            if (pos == data.Length)
            {
                if (!final)
                {
                    return 0;
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
                        return 0;
                    }

                    Add(ref fieldCount, new CsvFieldRange(pos, 0, Quoted: false, FromScratch: false));
                    break;
                }

                continue;
            }

            var lineEnd = LineEndLength(data, pos, final);
            if (lineEnd == 0)
            {
                return 0;
            }

            pos += lineEnd;
            linesInside++;
            break;
        }

        sink.Record(new CsvFields(data, _ranges.AsSpan(0, fieldCount), _scratch), startLine);
        _line = startLine + linesInside;
        return pos;
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

    private int Unescape(ReadOnlySpan<byte> content, ref int scratchUsed)
    {
        if (_scratch.Length < scratchUsed + content.Length)
        {
            Array.Resize(ref _scratch, Math.Max(_scratch.Length * 2, scratchUsed + content.Length));
        }

        var target = _scratch.AsSpan(scratchUsed);
        var written = 0;
        for (var i = 0; i < content.Length; i++)
        {
            target[written++] = content[i];
            if (content[i] == (byte)'"')
            {
                i++;
            }
        }

        scratchUsed += written;
        return written;
    }

    private void Add(ref int fieldCount, CsvFieldRange range)
    {
        if (fieldCount == _ranges.Length)
        {
            Array.Resize(ref _ranges, _ranges.Length * 2);
        }

        _ranges[fieldCount++] = range;
    }
}
