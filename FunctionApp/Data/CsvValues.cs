using System.Text;

namespace ServerlessML.Data;

/// <summary>The rules every CSV pass applies to a header and to a row's fields, with the errors they raise.</summary>
internal static class CsvValues
{
    /// <summary>A field's value: unquoted fields are trimmed of spaces and tabs, quoted ones kept exactly.</summary>
    public static ReadOnlySpan<byte> At(CsvFields fields, int index) => At(fields[index], fields.IsQuoted(index));

    public static ReadOnlySpan<byte> At(ReadOnlySpan<byte> field, bool quoted) => quoted ? field : field.Trim(" \t"u8);

    /// <summary>The column names of a header record; refuses a first line that is all numbers (data, not a header).</summary>
    public static string[] Header(CsvFields fields, long line)
    {
        var names = new string[fields.Count];
        var allNumeric = true;
        for (var i = 0; i < fields.Count; i++)
        {
            var raw = At(fields, i);
            names[i] = Encoding.UTF8.GetString(raw);
            allNumeric &= NumberParser.TryParse(raw, out _);
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

    public static void CheckWidth(int fields, int columns, long line)
    {
        if (fields != columns)
        {
            throw new InvalidDatasetException(
                $"Line {line} has {fields} field{(fields == 1 ? "" : "s")} but the header has {columns}. " +
                "Every row needs one value per column (leave a field empty for a missing value; quote a value that contains a comma).");
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
}
