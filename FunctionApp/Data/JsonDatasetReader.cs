using System.Text.Json;

namespace ServerlessML.Data;

/// <summary>
/// Reads a dataset sent as JSON: either records (<c>[{"x1":1.5,"city":"Oslo","y":3.2}]</c>) or bare numeric rows
/// whose last value is the label (<c>[[1.5,2,3.2]]</c>, named <c>x1…xn</c> and <c>y</c>).
/// </summary>
public static class JsonDatasetReader
{
    public const string RowsLabel = "y";

    public static Dataset Read(JsonElement data, DatasetReadOptions options)
    {
        if (data.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDatasetException("'data' must be an array of records or of numeric rows.");
        }

        if (data.GetArrayLength() == 0)
        {
            throw new InvalidDatasetException("'data' is empty; it needs one record or row per example.");
        }

        return data[0].ValueKind switch
        {
            JsonValueKind.Object => ReadRecords(data, options),
            JsonValueKind.Array => ReadRows(data, options),
            _ => throw new InvalidDatasetException("'data[0]' must be a record (an object) or a row (an array of numbers)."),
        };
    }

    /// <summary>The column names numeric rows get: <c>x1…xn</c> for the features, <see cref="RowsLabel"/> for the label.</summary>
    public static string[] RowColumnNames(int width) =>
        [.. Enumerable.Range(1, width - 1).Select(i => $"x{i}"), RowsLabel];

    private static Dataset ReadRecords(JsonElement data, DatasetReadOptions options)
    {
        var names = data[0].EnumerateObject().Select(p => p.Name).ToArray();
        var columns = DatasetColumns.Create(names, options);
        var rows = data.GetArrayLength();
        CheckCells(rows, names.Length, options);
        var index = names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);

        // A column is categorical when any record gives it a string, so every record is looked at (and checked: the
        // same fields, each once) before any column is filled.
        var hasText = new bool[names.Length];
        var seen = new bool[names.Length];
        var row = 0;
        foreach (var record in data.EnumerateArray())
        {
            if (record.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDatasetException($"data[{row}] is not a record; every item must be an object like data[0].");
            }

            Array.Clear(seen);
            var position = 0;
            foreach (var property in record.EnumerateObject())
            {
                var column = Column(property, position++, names, index, row);
                if (seen[column])
                {
                    throw new InvalidDatasetException($"data[{row}] has the field '{names[column]}' more than once; give each field once.");
                }

                seen[column] = true;
                hasText[column] |= property.Value.ValueKind == JsonValueKind.String;
            }

            if (Array.IndexOf(seen, false) is var missing and >= 0)
            {
                throw new InvalidDatasetException($"data[{row}] has no field '{names[missing]}'. Every record needs the same fields; use null for a missing value.");
            }

            row++;
        }

        for (var c = 0; c < columns.Length; c++)
        {
            if (hasText[c] && columns[c].MayBecomeCategorical)
            {
                columns[c].BecomeCategorical();
            }
        }

        // Each record has each field once, so adding them record by record fills every column in row order.
        row = 0;
        foreach (var record in data.EnumerateArray())
        {
            var position = 0;
            foreach (var property in record.EnumerateObject())
            {
                var column = Column(property, position++, names, index, row);
                Add(columns[column], property.Value, row, position: null);
            }

            row++;
        }

        return DatasetColumns.Build(columns, rows, options);
    }

    // Records mostly list their fields in data[0]'s order: comparing in place avoids a string per field.
    private static int Column(JsonProperty property, int position, string[] names, Dictionary<string, int> index, int row) =>
        position < names.Length && property.NameEquals(names[position]) ? position
        : index.TryGetValue(property.Name, out var column) ? column
        : throw new InvalidDatasetException($"data[{row}] has the field '{property.Name}', which data[0] does not have. Every record needs the same fields.");

    private static Dataset ReadRows(JsonElement data, DatasetReadOptions options)
    {
        var width = data[0].GetArrayLength();
        var columns = DatasetColumns.Create(RowColumnNames(width), options with { Label = options.Label ?? RowsLabel });
        var rows = data.GetArrayLength();
        CheckCells(rows, width, options);
        var row = 0;
        foreach (var values in data.EnumerateArray())
        {
            if (values.ValueKind != JsonValueKind.Array || values.GetArrayLength() != width)
            {
                throw new InvalidDatasetException(
                    $"data[{row}] is not a row of {width} values like data[0]. Every row needs the same number of values, the label last.");
            }

            var c = 0;
            foreach (var value in values.EnumerateArray())
            {
                if (value.ValueKind == JsonValueKind.String)
                {
                    throw new InvalidDatasetException(
                        $"data[{row}][{c}] is the string {value.GetRawText()}: rows hold numbers (or null) only. For text values send records, " +
                        "such as {\"size\": 70, \"city\": \"Oslo\", \"price\": 5.9}.");
                }

                Add(columns[c], value, row, c);
                c++;
            }

            row++;
        }

        return DatasetColumns.Build(columns, rows, options);
    }

    // Before any value is read: at least one feature value per column and row, whatever the categories turn out to be.
    private static void CheckCells(int rows, int columns, DatasetReadOptions options) =>
        DatasetLimits.CheckCells(rows, (long)rows * (columns - 1), options.MaxCells);

    /// <param name="position">The value's place in a row; null in a record, where the column's name says where it is.</param>
    private static void Add(ColumnBuilder column, JsonElement value, int row, int? position)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                if (column.IsLabel)
                {
                    throw new InvalidDatasetException($"{Path(column, row, position)}: the label '{column.Name}' is null. Every example needs a label value.");
                }

                column.AddMissing();
                break;
            case JsonValueKind.Number when column.Kind == ColumnKind.Categorical:
                column.AddText(value.GetRawText(), line: 0);
                break;
            case JsonValueKind.Number:
                if (!value.TryGetDouble(out var number) || !float.IsFinite((float)number))
                {
                    throw new InvalidDatasetException($"{Path(column, row, position)}: {value.GetRawText()} is not a finite 32-bit number.");
                }

                column.AddNumber((float)number);
                break;
            case JsonValueKind.String when column.Kind == ColumnKind.Categorical:
                var text = value.GetString()!;
                if (text.Length == 0)
                {
                    column.AddMissing();
                }
                else
                {
                    column.AddText(text, line: 0);
                }

                break;
            default:
                throw new InvalidDatasetException(column.IsLabel
                    ? $"{Path(column, row, position)}: the label '{column.Name}' must be a number, not {Describe(value)}."
                    : $"{Path(column, row, position)}: '{column.Name}' must be a number{(column.MayBecomeCategorical && position is null ? ", a string" : "")} or null, not {Describe(value)}.");
        }
    }

    private static string Path(ColumnBuilder column, int row, int? position) =>
        position is { } c ? $"data[{row}][{c}]" : $"data[{row}].{column.Name}";

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{value.GetString()}\"",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => value.GetRawText(),
    };
}
