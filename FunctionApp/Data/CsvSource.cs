using System.Text;
using nietras.SeparatedValues;

namespace ServerlessML.Data;

/// <summary>
/// Opens a CSV for reading with Sep: comma-separated, no header handling (the domain layer checks the header), no
/// column-count check (it says which line is off), fields kept raw so the layer can tell quoted from unquoted ones.
/// </summary>
internal static class CsvSource
{
    /// <summary>The longest record Sep holds (2^24 chars): a record is held whole until it ends, so one without an end
    /// would otherwise take as much memory as the file is long.</summary>
    public const int MaxRecordBytes = 16 * 1024 * 1024;

    private static readonly SepReaderOptions s_options = Sep.New(',').Reader(o => o with { HasHeader = false, DisableColCountCheck = true });

    private const int EscapeBase = 0x10FF00;
    private const char EscapeHigh = '\uDBFF';
    private const char EscapeLowFirst = '\uDF80';

    private static readonly Encoding s_utf8 = Utf8WithByteEscapes();

    private static SepReader Open(Stream utf8) => s_options.From(Text(utf8));

    private static ValueTask<SepReader> OpenAsync(Stream utf8, CancellationToken cancellationToken) =>
        s_options.FromAsync(Text(utf8), cancellationToken);

    /// <summary>The line a record starts on. Sep reports the first record's start wrongly when it has no header, but
    /// that record starts on line 1 by definition.</summary>
    public static int Line(SepReader.Row row) => row.RowIndex == 0 ? 1 : row.LineNumberFrom;

    /// <summary>An empty line: Sep reads it as a record of one empty field; a CSV skips it.</summary>
    public static bool IsBlank(SepReader.Row row) => row.ColCount == 1 && row[0].Span.IsEmpty;

    /// <summary>What to say when Sep gives up on a record longer than it holds.</summary>
    /// <summary>Reads the CSV in <paramref name="utf8"/> and hands each row to <paramref name="take"/> until it returns
    /// false. Sep refuses a record longer than it takes with a NotSupportedException, when it opens the stream (the first
    /// record) or later; either is answered with the line the record starts on.</summary>
    public static void ForEach(Stream utf8, Func<SepReader.Row, bool> take)
    {
        var nextLine = 1;
        try
        {
            // Opening reads the first record already, so it is guarded too.
            using var reader = Open(utf8);
            foreach (var row in reader)
            {
                nextLine = row.LineNumberToExcl;
                if (!take(row))
                {
                    break;
                }
            }
        }
        catch (NotSupportedException)
        {
            throw TooLong(nextLine);
        }
    }

    /// <summary><see cref="ForEach"/> over a stream read asynchronously.</summary>
    public static async Task ForEachAsync(Stream utf8, Func<SepReader.Row, bool> take, CancellationToken cancellationToken)
    {
        var nextLine = 1;
        try
        {
            using var reader = await OpenAsync(utf8, cancellationToken);
            await foreach (var row in reader.WithCancellation(cancellationToken))
            {
                nextLine = row.LineNumberToExcl;
                if (!take(row))
                {
                    break;
                }
            }
        }
        catch (NotSupportedException)
        {
            throw TooLong(nextLine);
        }
    }

    private static InvalidDatasetException TooLong(int line) =>
        new($"The record that starts on line {line} is longer than {MaxRecordBytes / (1024 * 1024)} MB. Check that every quoted field is closed, and that lines end with a line break.");

    /// <summary>Whether text holds a byte that was not UTF-8 (see <see cref="Utf8WithByteEscapes"/>).</summary>
    public static bool HasInvalidBytes(ReadOnlySpan<char> text)
    {
        for (var at = text.IndexOf(EscapeHigh); at >= 0 && at + 1 < text.Length; at = NextEscape(text, at))
        {
            if (text[at + 1] >= EscapeLowFirst)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The bytes text was decoded from, invalid ones included: for an error that names the bad byte.</summary>
    public static byte[] OriginalBytes(ReadOnlySpan<char> text)
    {
        var bytes = new List<byte>(text.Length);
        Span<byte> encoded = stackalloc byte[4];
        for (var i = 0; i < text.Length;)
        {
            Rune.DecodeFromUtf16(text[i..], out var rune, out var used);
            if (rune.Value >= EscapeBase + 0x80)
            {
                bytes.Add((byte)(rune.Value - EscapeBase));
            }
            else
            {
                bytes.AddRange(encoded[..rune.EncodeToUtf8(encoded)]);
            }

            i += used;
        }

        return [.. bytes];
    }

    private static int NextEscape(ReadOnlySpan<char> text, int at)
    {
        var next = text[(at + 1)..].IndexOf(EscapeHigh);
        return next < 0 ? -1 : at + 1 + next;
    }

    // The byte order mark is skipped (the encoding has it as its preamble); a UTF-16 one is not taken as a hint to
    // decode UTF-16, so such a file is refused as not UTF-8 with a hint that it looks like UTF-16.
    private static StreamReader Text(Stream utf8) =>
        new(utf8, s_utf8, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);

    // UTF-8 that turns each byte it cannot decode (0x80 to 0xFF) into one of the last 128 private-use code points,
    // U+10FF80 to U+10FFFF, instead of U+FFFD: a field that holds one is refused naming the byte itself. .NET refuses
    // lone surrogates from a fallback, which would be unambiguous; the price here is that text which really holds
    // one of these code points (private use, so agreed between two parties, and never seen in a dataset) is refused.
    private static Encoding Utf8WithByteEscapes()
    {
        var encoding = (Encoding)new UTF8Encoding(encoderShouldEmitUTF8Identifier: true).Clone();
        encoding.DecoderFallback = new ByteEscapes();
        return encoding;
    }

    private sealed class ByteEscapes : DecoderFallback
    {
        public override int MaxCharCount => 8;

        public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer();

        private sealed class Buffer : DecoderFallbackBuffer
        {
            // Each byte becomes a surrogate pair: high, then low.
            private byte[] _bytes = [];
            private int _next;

            public override int Remaining => (2 * _bytes.Length) - _next;

            public override bool Fallback(byte[] bytesUnknown, int index)
            {
                _bytes = [.. bytesUnknown];
                _next = 0;
                return _bytes.Length > 0;
            }

            public override char GetNextChar()
            {
                if (_next >= 2 * _bytes.Length)
                {
                    return '\0';
                }

                // U+10FF00 + b is the pair U+DBFF, U+DF00 + b.
                var b = _bytes[_next / 2];
                return _next++ % 2 == 0 ? EscapeHigh : (char)(0xDF00 + b);
            }

            public override bool MovePrevious()
            {
                if (_next == 0)
                {
                    return false;
                }

                _next--;
                return true;
            }

            public override void Reset()
            {
                _bytes = [];
                _next = 0;
            }
        }
    }
}
