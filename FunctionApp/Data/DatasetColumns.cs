namespace ServerlessML.Data;

/// <summary>Checks a dataset's column names and sets up a builder for each; shared by the CSV and JSON readers.</summary>
internal static class DatasetColumns
{
    public static ColumnBuilder[] Create(IReadOnlyList<string> names, DatasetReadOptions options)
    {
        DatasetLimits.CheckColumns(names.Count, options.MaxColumns);
        var seen = CheckNames(names);
        var label = options.Label ?? names[^1];
        if (!seen.ContainsKey(label))
        {
            throw new InvalidDatasetException(
                $"The label column '{label}' is not in the dataset. Its columns are: {string.Join(", ", names.Select(n => $"'{n}'"))}.");
        }

        if (options.Kinds?.Keys.FirstOrDefault(k => !seen.ContainsKey(k)) is { } unknown)
        {
            throw new InvalidDatasetException($"The dataset has no column '{unknown}', which it had when it was submitted.");
        }

        return names
            .Select(name => new ColumnBuilder(
                name,
                isLabel: name == label,
                declared: options.Kinds is not null && options.Kinds.TryGetValue(name, out var kind) ? kind : null,
                options.MaxCategoricalLevels,
                options.ExpectedRows ?? 0))
            .ToArray();
    }

    /// <summary>The dataset the builders hold, once it is known to fit the limit on feature values.</summary>
    public static Dataset Build(ColumnBuilder[] columns, int rows, DatasetReadOptions options)
    {
        DatasetLimits.CheckCells(rows, DatasetLimits.Cells(rows, columns.Where(c => !c.IsLabel).Select(c => (c.Kind, c.Width))), options.MaxCells);
        var table = new Table(columns.Select(c => c.Build()).ToArray());
        return new Dataset(table, columns.Single(c => c.IsLabel).Name);
    }

    /// <summary>Refuses fewer than two columns, and empty or repeated names; gives each name's position.</summary>
    public static Dictionary<string, int> CheckNames(IReadOnlyList<string> names)
    {
        if (names.Count < 2)
        {
            throw new InvalidDatasetException(
                $"The dataset has {names.Count} column; it needs at least one feature column and a label column.");
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(names[i]))
            {
                throw new InvalidDatasetException($"Column {i + 1} has no name. Give every column a name in the header.");
            }

            if (!seen.TryAdd(names[i], i))
            {
                throw new InvalidDatasetException(
                    $"The column name '{names[i]}' appears twice (columns {seen[names[i]] + 1} and {i + 1}). Column names must be unique.");
            }
        }

        return seen;
    }
}
