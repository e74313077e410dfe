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

/// <summary>A model's inputs in order, and the label it predicts.</summary>
public sealed record ModelSchema(string Label, IReadOnlyList<FeatureSchema> Features)
{
    /// <summary>Describes the features of a training split: ranges of numbers, levels of categories.</summary>
    public static ModelSchema Describe(Dataset train) =>
        new(train.Label, train.Features.Select(Describe).ToArray());

    private static FeatureSchema Describe(Column column)
    {
        switch (column)
        {
            case NumericColumn numeric:
                var present = numeric.Values.Where(v => !float.IsNaN(v)).ToArray();
                return present.Length == 0
                    ? new FeatureSchema(column.Name, ColumnKind.Numeric, Missing: numeric.Count)
                    : new FeatureSchema(column.Name, ColumnKind.Numeric, Min: present.Min(), Max: present.Max(),
                        Mean: present.Average(v => (double)v), Missing: numeric.Count - present.Length);
            case CategoricalColumn categorical:
                var used = new bool[categorical.Levels.Count];
                var missing = 0;
                foreach (var code in categorical.Codes)
                {
                    if (code == CategoricalColumn.Missing)
                    {
                        missing++;
                    }
                    else
                    {
                        used[code] = true;
                    }
                }

                var levels = categorical.Levels.Where((_, i) => used[i]).Order(StringComparer.Ordinal).ToArray();
                return new FeatureSchema(column.Name, ColumnKind.Categorical, Levels: levels, Missing: missing);
            default:
                throw new ArgumentOutOfRangeException(nameof(column), column.Kind, "Unknown column kind.");
        }
    }
}
