using System.Text;
using System.Text.Unicode;

namespace ServerlessML.Data;

/// <summary>The rules every CSV pass applies to a header and to a row's fields, with the errors they raise.</summary>
internal static class CsvValues
{
    /// <summary>A field's value: unquoted fields are trimmed of spaces and tabs, quoted ones kept exactly.</summary>
    public static ReadOnlySpan<byte> At(CsvFields fields, int index) => At(fields[index], fields.IsQuoted(index));

    public static ReadOnlySpan<byte> At(ReadOnlySpan<byte> field, bool quoted) => quoted ? field : field.Trim(" \t"u8);

    /// <summary>The column names of a header record. Refuses more columns than allowed (before reading them), a blank
    /// line, JSON, names that are not UTF-8, a line that is one column because another delimiter separates it, and a
    /// first line that is all numbers (data, not a header).</summary>
    public static string[] Header(CsvFields fields, long line, int maxColumns)
    {
        DatasetLimits.CheckColumns(fields.Count, maxColumns);
        var first = At(fields, 0);
        if (fields.Count == 1 && first.IsEmpty)
        {
            throw new InvalidDatasetException($"Line {line} is blank: a CSV starts with a header row naming the columns, separated by commas.");
        }

        if (!fields.IsQuoted(0) && first.Length > 0 && first[0] is (byte)'{' or (byte)'[')
        {
            throw LooksLikeJson();
        }

        var names = new string[fields.Count];
        var allNumeric = true;
        for (var i = 0; i < fields.Count; i++)
        {
            var raw = At(fields, i);
            if (!Utf8.IsValid(raw))
            {
                throw NotUtf8(raw, $"Line {line}, the name of column {i + 1}");
            }

            names[i] = Encoding.UTF8.GetString(raw);
            allNumeric &= NumberParser.TryParse(raw, out _);
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

    public static void CheckWidth(CsvFields fields, int columns, long line)
    {
        if (fields.Count != columns)
        {
            var delimiter = fields.Count == 1 ? OtherDelimiter(Encoding.UTF8.GetString(At(fields, 0))) : null;
            throw new InvalidDatasetException(
                $"Line {line} has {fields.Count} field{(fields.Count == 1 ? "" : "s")} but the header has {columns}. " +
                (delimiter is not null
                    ? $"Its values are separated by {delimiter}; separate them with commas, as the header does."
                    : "Every row needs one value per column (leave a field empty for a missing value; quote a value that contains a comma)." +
                        (fields.Count > columns ? " Numbers take a decimal point: 1.5, not 1,5." : "")));
        }
    }

    /// <summary>Reads a value as a number: false when it is not one; an error when it is NaN or infinite, which
    /// a column of numbers cannot hold (an empty field is how a value is left out).</summary>
    public static bool TryNumber(ReadOnlySpan<byte> value, string column, long line, out float number)
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

    private static InvalidDatasetException LooksLikeJson() =>
        new("The data starts with '{' or '[': it is JSON, not CSV. A CSV starts with a header row naming the columns, separated by commas.");

    private static string? OtherDelimiter(string line) =>
        line.Contains(';', StringComparison.Ordinal) ? "semicolons (;)"
        : line.Contains('\t', StringComparison.Ordinal) ? "tabs"
        : line.Contains('|', StringComparison.Ordinal) ? "vertical bars (|)"
        : null;

    private static string Shorten(string text) => text.Length > 60 ? $"{text[..60]}…" : text;
}
