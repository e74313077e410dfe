using ServerlessML.Data;

namespace ServerlessML.ML;

/// <summary>What a model expects of one feature, as seen in its training data.</summary>
public sealed record FeatureSchema(
    string Name,
    ColumnKind Kind,
    IReadOnlyList<string>? Levels = null,
    double? Min = null,
    double? Max = null,
    double? Mean = null,
    int Missing = 0)
{
    /// <summary>The features of a dataset, in its column order, by name and kind only.</summary>
    public static FeatureSchema[] Of(Dataset dataset) => dataset.Features.Select(f => new FeatureSchema(f.Name, f.Kind)).ToArray();
}

/// <summary>The smallest and largest value a column took.</summary>
public sealed record ValueRange(double Min, double Max);

/// <summary>A model's inputs in order, and the label it predicts with the range it had in training (null in
/// manifests written before it was recorded).</summary>
public sealed record ModelSchema(string Label, IReadOnlyList<FeatureSchema> Features, ValueRange? LabelRange = null)
{
    /// <summary>Describes the features and label of a training split (the dataset's <paramref name="rows"/>, all when
    /// null): ranges of numbers, levels of categories.</summary>
    public static ModelSchema Describe(Dataset dataset, int[]? rows = null)
    {
        rows ??= Enumerable.Range(0, dataset.RowCount).ToArray();
        var label = Describe(dataset.LabelColumn, rows);
        return new(
            dataset.Label,
            dataset.Features.Select(f => Describe(f, rows)).ToArray(),
            label is { Min: { } min, Max: { } max } ? new ValueRange(min, max) : null);
    }

    private static FeatureSchema Describe(Column column, int[] rows)
    {
        switch (column)
        {
            case NumericColumn numeric:
                double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
                var missing = 0;
                foreach (var row in rows)
                {
                    var value = numeric.Values[row];
                    if (float.IsNaN(value))
                    {
                        missing++;
                        continue;
                    }

                    sum += value;
                    min = Math.Min(min, value);
                    max = Math.Max(max, value);
                }

                var present = rows.Length - missing;
                return present == 0
                    ? new FeatureSchema(column.Name, ColumnKind.Numeric, Missing: missing)
                    : new FeatureSchema(column.Name, ColumnKind.Numeric, Min: min, Max: max, Mean: sum / present, Missing: missing);
            case CategoricalColumn categorical:
                var used = new bool[categorical.Levels.Count];
                var absent = 0;
                foreach (var row in rows)
                {
                    if (categorical.Codes[row] is var code and >= 0)
                    {
                        used[code] = true;
                    }
                    else
                    {
                        absent++;
                    }
                }

                var levels = categorical.Levels.Where((_, i) => used[i]).Order(StringComparer.Ordinal).ToArray();
                return new FeatureSchema(column.Name, ColumnKind.Categorical, Levels: levels, Missing: absent);
            default:
                throw new ArgumentOutOfRangeException(nameof(column), column.Kind, "Unknown column kind.");
        }
    }
}
