using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using ServerlessML.Data;

namespace ServerlessML.ML;

/// <summary>
/// Scores rows with a linear model's own parameters, read once from its saved pipeline: each feature's fill value,
/// normalizer map and one-hot slots (<see cref="FeatureLayout"/>), the SDCA weights and bias. A row costs a few
/// multiply-adds instead of a trip through ML.NET's row mapper; a test holds the scores equal to ML.NET's.
/// Immutable, so one instance serves every thread.
/// </summary>
public sealed class LinearPredictor
{
    private readonly Slot[] _slots;
    private readonly float[] _weights;
    private readonly float _bias;

    private LinearPredictor(FeatureLayout layout, float[] weights, float bias)
    {
        var numeric = 0;
        var text = 0;
        _slots = layout.Features.Select(feature => feature switch
        {
            NumericSlot n => new Slot(numeric++, n.Start, n.Fill, n.Offset, n.Scale, null),
            CategoricalSlots c => new Slot(text++, c.Start, 0, 0, 0, new Dictionary<string, int>(c.SlotOfLevel, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>()),
            _ => throw new ArgumentOutOfRangeException(nameof(layout), feature, "Unknown feature kind."),
        }).ToArray();
        _weights = weights;
        _bias = bias;
    }

    /// <summary>The predictor of a pipeline of feature transforms ending in a linear regression (every model this app
    /// trains), or null for any other model.</summary>
    public static LinearPredictor? TryCreate(ITransformer model, ModelSchema schema)
    {
        if (model is not TransformerChain<ITransformer> chain
            || chain.LastTransformer is not RegressionPredictionTransformer<LinearRegressionModelParameters> linear)
        {
            return null;
        }

        var probe = Probe(schema);
        var layout = FeatureLayout.Read([.. chain.SkipLast(1)], schema.Features, probe, ModelColumns.For(schema.Features.Select(f => f.Name)));
        return new LinearPredictor(layout, [.. linear.Model.Weights], linear.Model.Bias);
    }

    public void Predict(FeatureBatch batch, Span<float> predictions)
    {
        for (var row = 0; row < batch.Rows; row++)
        {
            var numbers = batch.Numbers.AsSpan(row * batch.NumericCount, batch.NumericCount);
            var texts = batch.Texts.AsSpan(row * batch.TextCount, batch.TextCount);
            var score = 0f;
            foreach (var slot in _slots)
            {
                if (slot.Levels is not { } levels)
                {
                    var value = numbers[slot.Input];
                    score += _weights[slot.Start] * (((float.IsNaN(value) ? slot.Fill : value) - slot.Offset) * slot.Scale);
                }
                else if (levels.TryGetValue(texts[slot.Input].Span, out var level))
                {
                    score += _weights[slot.Start + level];
                }
            }

            predictions[row] = _bias + score;
        }
    }

    // One row of a dataset with the model's features, every value missing: enough to read the transforms' layout.
    internal static Dataset Probe(ModelSchema schema)
    {
        var columns = schema.Features
            .Select(f => f.Kind == ColumnKind.Numeric
                ? (Column)new NumericColumn(f.Name, [float.NaN])
                : new CategoricalColumn(f.Name, [CategoricalColumn.Missing], f.Levels ?? []))
            .Append(new NumericColumn(schema.Label, [0f]));
        return new Dataset(new Table([.. columns]), schema.Label);
    }

    // Where a feature's value is in a batch row (Input) and where its weights start; numbers carry their map,
    // categories their level → slot lookup.
    private sealed record Slot(int Input, int Start, float Fill, float Offset, float Scale, Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>>? Levels);
}
