using System.Buffers;
using System.Globalization;
using System.Text;

namespace ServerlessML.Data;

/// <summary>Writes a table as RFC 4180 CSV with a header row, so data that came as JSON is staged like any CSV.</summary>
public static class CsvTableWriter
{
    private static readonly SearchValues<char> s_needsQuotes = SearchValues.Create(",\"\r\n");

    public static async Task WriteAsync(Table table, Stream stream, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16, leaveOpen: true);
        await writer.WriteLineAsync(string.Join(',', table.Columns.Select(c => Quote(c.Name))).AsMemory(), cancellationToken);
        var line = new StringBuilder();
        for (var row = 0; row < table.RowCount; row++)
        {
            line.Clear();
            for (var c = 0; c < table.Columns.Count; c++)
            {
                if (c > 0)
                {
                    line.Append(',');
                }

                switch (table.Columns[c])
                {
                    case NumericColumn numeric when !float.IsNaN(numeric.Values[row]):
                        line.Append(numeric.Values[row].ToString("R", CultureInfo.InvariantCulture));
                        break;
                    case CategoricalColumn categorical when categorical.ValueAt(row) is { } value:
                        line.Append(Quote(value));
                        break;
                }
            }

            line.Append('\n');
            await writer.WriteAsync(line, cancellationToken);
        }
    }

    // Unquoted fields are trimmed when read back, so text with surrounding spaces is quoted too.
    private static string Quote(string value) =>
        value.AsSpan().ContainsAny(s_needsQuotes) || value.Length == 0 || value.Trim().Length != value.Length
            ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\""
            : value;
}
