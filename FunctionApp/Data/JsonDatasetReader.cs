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
        var index = names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);

        // A column is categorical when any record gives it a string, so look at every record before filling any column.
        var hasText = new bool[names.Length];
        var values = new JsonElement[data.GetArrayLength(), names.Length];
        var row = 0;
        foreach (var record in data.EnumerateArray())
        {
            if (record.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDatasetException($"data[{row}] is not a record; every item must be an object like data[0].");
            }

            var seen = 0;
            foreach (var property in record.EnumerateObject())
            {
                if (!index.TryGetValue(property.Name, out var column))
                {
                    throw new InvalidDatasetException(
                        $"data[{row}] has the field '{property.Name}', which data[0] does not have. Every record needs the same fields.");
                }

                values[row, column] = property.Value;
                hasText[column] |= property.Value.ValueKind == JsonValueKind.String;
                seen++;
            }

            if (seen != names.Length)
            {
                throw new InvalidDatasetException(names.FirstOrDefault(n => !record.TryGetProperty(n, out _)) is { } missing
                    ? $"data[{row}] has no field '{missing}'. Every record needs the same fields; use null for a missing value."
                    : $"data[{row}] names a field more than once.");
            }

            row++;
        }

        for (var c = 0; c < columns.Length; c++)
        {
            if (hasText[c] && columns[c].MayBecomeCategorical)
            {
                columns[c].BecomeCategorical();
            }

            for (var r = 0; r < row; r++)
            {
                Add(columns[c], values[r, c], $"data[{r}].{names[c]}");
            }
        }

        return Build(columns);
    }

    private static Dataset ReadRows(JsonElement data, DatasetReadOptions options)
    {
        var width = data[0].GetArrayLength();
        var columns = DatasetColumns.Create(RowColumnNames(width), options with { Label = options.Label ?? RowsLabel });
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
                Add(columns[c], value, $"data[{row}][{c}]");
                c++;
            }

            row++;
        }

        return Build(columns);
    }

    private static void Add(ColumnBuilder column, JsonElement value, string path)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                if (column.IsLabel)
                {
                    throw new InvalidDatasetException($"{path}: the label '{column.Name}' is null. Every example needs a label value.");
                }

                column.AddMissing();
                break;
            case JsonValueKind.Number when column.Kind == ColumnKind.Categorical:
                column.AddText(value.GetRawText(), line: 0);
                break;
            case JsonValueKind.Number:
                if (!value.TryGetDouble(out var number) || !float.IsFinite((float)number))
                {
                    throw new InvalidDatasetException($"{path}: {value.GetRawText()} is not a finite 32-bit number.");
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
                    ? $"{path}: the label '{column.Name}' must be a number, not {Describe(value)}."
                    : $"{path}: '{column.Name}' must be a number{(column.MayBecomeCategorical ? ", a string" : "")} or null, not {Describe(value)}.");
        }
    }

    private static Dataset Build(ColumnBuilder[] columns)
    {
        var table = new Table(columns.Select(c => c.Build()).ToArray());
        return new Dataset(table, columns.Single(c => c.IsLabel).Name);
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{value.GetString()}\"",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => value.GetRawText(),
    };
}
