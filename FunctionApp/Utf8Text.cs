using System.Buffers;
using System.Text.Unicode;

namespace ServerlessML;

/// <summary>
/// Where text must be UTF-8, and what to tell a caller whose bytes are not: where the first bad byte is, and what the
/// file most likely is instead (UTF-16, or Windows-1252/Latin-1 as Excel and older tools save it).
/// </summary>
internal static class Utf8Text
{
    /// <summary>The offset of the first byte that is not part of a valid UTF-8 sequence; -1 when all of it is UTF-8.</summary>
    public static int FirstInvalid(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            return -1;
        }

        var chars = ArrayPool<char>.Shared.Rent(4096);
        try
        {
            var offset = 0;
            while (true)
            {
                var status = Utf8.ToUtf16(bytes[offset..], chars, out var read, out _, replaceInvalidSequences: false);
                offset += read;
                if (status != System.Buffers.OperationStatus.DestinationTooSmall)
                {
                    return offset;
                }
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>Where an offset is, for a person: "line 3, byte 17".</summary>
    public static string Position(ReadOnlySpan<byte> bytes, int offset)
    {
        var before = bytes[..offset];
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        return $"line {before.Count((byte)'\n') + 1}, byte {offset - lineStart + 1}";
    }

    /// <summary>What the bytes of a file probably are, and what to do about it (a sentence without its full stop).</summary>
    public static string Hint(ReadOnlySpan<byte> bytes) =>
        LooksLikeUtf16(bytes)
            ? "It looks like UTF-16: save it as UTF-8"
            : "Text saved by Excel or an older tool is often Windows-1252 or Latin-1: save it as UTF-8";

    /// <summary>A UTF-16 byte order mark, or the zero bytes UTF-16 puts beside every ASCII character.</summary>
    public static bool LooksLikeUtf16(ReadOnlySpan<byte> bytes) =>
        bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) || bytes.IndexOf((byte)0) >= 0;
}
