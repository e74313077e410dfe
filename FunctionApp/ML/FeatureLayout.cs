using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using ServerlessML.Data;

namespace ServerlessML.ML;

/// <summary>
/// How fitted feature transforms turn one row into the Features vector SDCA trains on, read off the transforms
/// themselves: per numeric feature the value that replaces a missing one and the normalizer's affine map, per
/// categorical feature the one-hot slot of each level, in the order the concatenation lays them out.
/// <see cref="FeaturesDataView"/> applies it to whole columns without ML.NET's per-row machinery; a test holds
/// it equal to the transforms' own output.
/// </summary>
internal sealed record FeatureLayout(int Length, IReadOnlyList<FeatureSlots> Features)
{
    /// <summary>
    /// Reads the layout of fitted (or loaded) transforms (fill, normalize, one-hot, concatenate) for the
    /// <paramref name="features"/> in the order they were trained in, which is the order the normalizer numbers its
    /// columns and the concatenation lays them out. <paramref name="data"/> holds those features.
    /// </summary>
    public static FeatureLayout Read(IReadOnlyList<ITransformer> transforms, IReadOnlyList<FeatureSchema> features, Dataset data, ModelColumns columns)
    {
        var normalize = transforms.OfType<NormalizingTransformer>().SingleOrDefault();
        var output = new TransformerChain<ITransformer>([.. transforms]).GetOutputSchema(new DatasetDataView(data, columns).Schema);
        var fills = transforms.OfType<MissingValueReplacingTransformer>().SingleOrDefault() is { } fill
            ? FillValues(fill, data, features, columns)
            : [];

        var slots = new List<FeatureSlots>();
        var start = 0;
        var numericIndex = 0;
        foreach (var feature in features)
        {
            if (feature.Kind == ColumnKind.Categorical)
            {
                var levels = SlotNames(output[feature.Name]);
                slots.Add(new CategoricalSlots(feature.Name, start, levels.Length, levels.Select((level, slot) => (level, slot)).ToDictionary(p => p.level, p => p.slot, StringComparer.Ordinal)));
                start += levels.Length;
            }
            else
            {
                var affine = (NormalizingTransformer.AffineNormalizerModelParameters<float>)normalize!.GetNormalizerModelParameters(numericIndex++);
                slots.Add(new NumericSlot(feature.Name, start, fills[feature.Name], affine.Offset, affine.Scale));
                start++;
            }
        }

        return new FeatureLayout(start, slots);
    }

    /// <summary>One row of a dataset with <paramref name="schema"/>'s features and label, every value missing: enough to
    /// read a saved model's layout, or to show ML.NET its input schema.</summary>
    public static Dataset Probe(ModelSchema schema)
    {
        var columns = schema.Features
            .Select(f => f.Kind == ColumnKind.Numeric
                ? (Column)new NumericColumn(f.Name, [float.NaN])
                : new CategoricalColumn(f.Name, [CategoricalColumn.Missing], f.Levels ?? []))
            .Append(new NumericColumn(schema.Label, [0f]));
        return new Dataset(new Table([.. columns]), schema.Label);
    }

    // The fill transform's replacement values, read by sending it one row where every number is missing.
    private static Dictionary<string, float> FillValues(MissingValueReplacingTransformer fill, Dataset data, IReadOnlyList<FeatureSchema> features, ModelColumns columns)
    {
        var probe = new Dataset(
            new Table(data.Table.Columns.Select(c => c is CategoricalColumn categorical
                ? new CategoricalColumn(c.Name, [CategoricalColumn.Missing], categorical.Levels)
                : (Column)new NumericColumn(c.Name, [float.NaN])).ToArray()),
            data.Label);
        var filled = fill.Transform(new DatasetDataView(probe, columns));
        using var cursor = filled.GetRowCursor(filled.Schema);
        cursor.MoveNext();
        return features.Where(f => f.Kind == ColumnKind.Numeric).ToDictionary(f => f.Name, f =>
        {
            var value = 0f;
            cursor.GetGetter<float>(filled.Schema[f.Name])(ref value);
            return value;
        });
    }

    // One-hot output slots are named after the levels they stand for.
    private static string[] SlotNames(DataViewSchema.Column column)
    {
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        column.GetSlotNames(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }
}

/// <summary>Where one feature lands in the Features vector.</summary>
internal abstract record FeatureSlots(string Name, int Start);

/// <summary>A numeric feature: missing → <see cref="Fill"/>, then <c>(x − Offset) · Scale</c>.</summary>
internal sealed record NumericSlot(string Name, int Start, float Fill, float Offset, float Scale) : FeatureSlots(Name, Start)
{
    /// <summary>The value the trainer sees for <paramref name="value"/> (NaN when missing).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Transform(float value) => ((float.IsNaN(value) ? Fill : value) - Offset) * Scale;
}

/// <summary>A categorical feature: <see cref="Width"/> indicator slots; a level the transforms never saw sets none.</summary>
internal sealed record CategoricalSlots(string Name, int Start, int Width, IReadOnlyDictionary<string, int> SlotOfLevel) : FeatureSlots(Name, Start)
{
    /// <summary>For each level code of <paramref name="column"/>, its slot within this feature, or −1.</summary>
    public int[] SlotsOf(CategoricalColumn column) =>
        column.Levels.Select(level => SlotOfLevel.TryGetValue(level, out var slot) ? slot : -1).ToArray();
}
