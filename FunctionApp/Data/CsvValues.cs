using nietras.SeparatedValues;

namespace ServerlessML.Data;

/// <summary>The rules every CSV pass applies to a header and to a row's fields, with the errors they raise.</summary>
internal static class CsvValues
{
    // A quoted field whose doubled quotes are undone is copied here; its value is used before the next field is read.
    [ThreadStatic]
    private static char[]? t_unescaped;

    /// <summary>A field's value: unquoted fields are trimmed of spaces and tabs; a quoted one loses its quotes and
    /// keeps its content exactly, with <c>""</c> read as one quote.</summary>
    public static ReadOnlySpan<char> At(SepReader.Row row, int index, out bool quoted)
    {
        var raw = row[index].Span;
        if (!raw.IsEmpty && (raw[0] is ' ' or '\t' || raw[^1] is ' ' or '\t'))
        {
            raw = raw.Trim(" \t");
        }

        quoted = !raw.IsEmpty && raw[0] == '"';
        return quoted ? Unquote(row, index, raw) : raw;
    }

    /// <summary>The column names of a header record. Refuses more columns than allowed, a blank line, JSON, names that
    /// are not UTF-8, a line that is one column because another delimiter separates it, and a first line that is all
    /// numbers (data, not a header).</summary>
    public static string[] Header(SepReader.Row row, int maxColumns)
    {
        var line = CsvSource.Line(row);
        DatasetLimits.CheckColumns(row.ColCount, maxColumns);
        var first = At(row, 0, out var firstQuoted);
        if (row.ColCount == 1 && first.IsEmpty)
        {
            throw new InvalidDatasetException($"Line {line} is blank: a CSV starts with a header row naming the columns, separated by commas.");
        }

        if (!firstQuoted && first.Length > 0 && first[0] is '{' or '[')
        {
            throw LooksLikeJson();
        }

        var names = new string[row.ColCount];
        var allNumeric = true;
        for (var i = 0; i < names.Length; i++)
        {
            var name = Text(At(row, i, out var quoted), quoted, line, column: null, position: i + 1);
            names[i] = name.ToString();
            allNumeric &= NumberParser.TryParse(name, out _);
        }

        if (names.Length == 1 && OtherDelimiter(names[0]) is { } delimiter)
        {
            throw new InvalidDatasetException(
                $"Line {line} is one column, '{Shorten(names[0])}': the file looks separated by {delimiter}, not by commas. " +
                "Save it as comma-separated values (in Excel: CSV UTF-8), or replace the separators with commas.");
        }

        if (allNumeric)
        {
            throw new InvalidDatasetException(
                $"Line {line} ('{string.Join(',', names.Take(5))}{(names.Length > 5 ? ",…" : "")}') looks like data, not a header. " +
                "Add a header row with the column names as the first line.");
        }

        DatasetColumns.CheckNames(names);
        return names;
    }

    public static void CheckWidth(SepReader.Row row, int columns, int line)
    {
        if (row.ColCount == columns)
        {
            return;
        }

        // A quote left open swallows the rest of the file into one field: say that, not that the row is short.
        for (var i = 0; i < row.ColCount; i++)
        {
            _ = At(row, i, out _);
        }

        var count = row.ColCount;
        var delimiter = count == 1 ? OtherDelimiter(At(row, 0, out _).ToString()) : null;
        throw new InvalidDatasetException(
            $"Line {line} has {count} field{(count == 1 ? "" : "s")} but the header has {columns}. " +
            (delimiter is not null
                ? $"Its values are separated by {delimiter}; separate them with commas, as the header does."
                : "Every row needs one value per column (leave a field empty for a missing value; quote a value that contains a comma)." +
                    (count > columns ? " Numbers take a decimal point: 1.5, not 1,5." : "")));
    }

    /// <summary>Reads a value as a number: false when it is not one; an error when it is NaN or infinite, which
    /// a column of numbers cannot hold (an empty field is how a value is left out).</summary>
    public static bool TryNumber(ReadOnlySpan<char> value, string column, int line, out float number)
    {
        if (!NumberParser.TryParse(value, out number))
        {
            return false;
        }

        return float.IsFinite(number)
            ? true
            : throw new InvalidDatasetException(
                $"Line {line}, column '{column}': '{ColumnBuilder.Describe(value)}' is not a finite number. Leave the field empty for a missing value.");
    }

    /// <summary>A field's value as text: refused when it was not UTF-8, or when a quote inside an unquoted field shows
    /// that quoting went wrong (Sep reads from that quote to the next as one quoted stretch).</summary>
    /// <param name="column">The column the value is in, or null for a name in the header at <paramref name="position"/>.</param>
    public static ReadOnlySpan<char> Text(ReadOnlySpan<char> value, bool quoted, int line, string? column, int position = 0)
    {
        if (CsvSource.HasInvalidBytes(value))
        {
            throw NotUtf8(CsvSource.OriginalBytes(value), Where(line, column, position));
        }

        if (!quoted && value.Contains('"'))
        {
            throw new InvalidDatasetException(
                $"{Where(line, column, position)}: '{ColumnBuilder.Describe(value)}' has a quote inside a field that does not start with one. Quote the whole field, and write a quote inside it as '\"\"'.");
        }

        return value;
    }

    private static string Where(int line, string? column, int position) =>
        column is null ? $"Line {line}, the name of column {position}" : $"Line {line}, column '{column}'";

    /// <summary>Text that is not UTF-8 would turn into U+FFFD and never match at predict: what to say instead.</summary>
    /// <param name="where">Where the text is, e.g. "Line 4, column 'city'".</param>
    public static InvalidDatasetException NotUtf8(ReadOnlySpan<byte> value, string where)
    {
        var at = Utf8Text.FirstInvalid(value);
        return new InvalidDatasetException(
            $"{where}: the text is not UTF-8 (its byte {at + 1} is 0x{value[at]:X2}). {Utf8Text.Hint(value)}, or name its encoding (charset=windows-1252 or iso-8859-1).");
    }

    /// <summary>What to say about data that has no line break at all: it cannot hold a header and rows.</summary>
    public static InvalidDatasetException OneLine(ReadOnlySpan<byte> data)
    {
        var start = data.TrimStart(" \t"u8);
        return start.IsEmpty ? new InvalidDatasetException("The CSV is empty. Send a header row with the column names, then one row per example.")
            : start[0] is (byte)'{' or (byte)'[' ? LooksLikeJson()
            : new InvalidDatasetException(
                "The data is a single line without line breaks, so it cannot hold a header and rows. The line breaks were most likely " +
                "lost on the way: curl -d drops them, --data-binary @file keeps them.");
    }

    // The content of a quoted field; it must close, and close at the field's end.
    private static ReadOnlySpan<char> Unquote(SepReader.Row row, int index, ReadOnlySpan<char> raw)
    {
        var content = raw[1..];
        var escapes = 0;
        var close = 0;
        while (true)
        {
            var quote = content[close..].IndexOf('"');
            if (quote < 0)
            {
                throw new InvalidDatasetException($"Line {CsvSource.Line(row)}: a quoted field is never closed. Close it with a '\"', and write a quote inside a quoted field as '\"\"'.");
            }

            close += quote;
            if (close + 1 < content.Length && content[close + 1] == '"')
            {
                escapes++;
                close += 2;
                continue;
            }

            break;
        }

        if (close != content.Length - 1)
        {
            row.Span.Overlaps(content, out var offset);
            var line = CsvSource.Line(row) + LineBreaks(row.Span[..(offset + close)]);
            throw new InvalidDatasetException($"Line {line}: unexpected text after the closing quote of field {index + 1}. Quote the whole field, and write a quote inside it as '\"\"'.");
        }

        var inner = content[..close];
        if (escapes == 0)
        {
            return inner;
        }

        var unescaped = t_unescaped is { } buffer && buffer.Length >= inner.Length ? buffer : t_unescaped = new char[Math.Max(inner.Length, 256)];
        var length = 0;
        for (var i = 0; i < inner.Length; i++)
        {
            unescaped[length++] = inner[i];
            if (inner[i] == '"')
            {
                i++;
            }
        }

        return unescaped.AsSpan(0, length);
    }

    // Line breaks as Sep counts them: CRLF, LF and a lone CR each end a line.
    private static int LineBreaks(ReadOnlySpan<char> text) =>
        text.Count('\n') + text.Count('\r') - text.Count("\r\n".AsSpan());

    private static InvalidDatasetException LooksLikeJson() =>
        new("The data starts with '{' or '[': it is JSON, not CSV. A CSV starts with a header row naming the columns, separated by commas.");

    private static string? OtherDelimiter(string line) =>
        line.Contains(';', StringComparison.Ordinal) ? "semicolons (;)"
        : line.Contains('\t', StringComparison.Ordinal) ? "tabs"
        : line.Contains('|', StringComparison.Ordinal) ? "vertical bars (|)"
        : null;

    private static string Shorten(string text) => text.Length > 60 ? $"{text[..60]}…" : text;
}
