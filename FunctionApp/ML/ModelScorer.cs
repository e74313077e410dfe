using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using ServerlessML.Data;

namespace ServerlessML.ML;

/// <summary>
/// The one scorer: serving, evaluation, cross-validation and the champion's evaluation all score through it. A pipeline
/// of feature transforms ending in a linear regression (every SDCA model) is scored from its own parameters, read once:
/// the transforms' <see cref="FeatureLayout"/>, the weights and the bias, so a row costs a few multiply-adds instead of
/// a trip through ML.NET's row mapper (bench/NOTES.md, "One scorer": 3–9× faster per row, 3–5× on a test split,
/// equal to ML.NET's output within float rounding). Any other model goes through a pool of ML.NET row predictors.
/// Safe to share between threads.
/// </summary>
public sealed class ModelScorer
{
    private const int RowsPerBlock = 16 * 1024;

    private readonly ModelSchema _schema;
    private readonly Slot[] _slots = [];
    private readonly float[] _weights = [];
    private readonly float _bias;
    private readonly ObjectPool<RowPredictor>? _predictors;

    /// <param name="schema">The model's features in the order it was trained on them.</param>
    public ModelScorer(ITransformer model, ModelSchema schema)
    {
        _schema = schema;
        if (model is TransformerChain<ITransformer> { LastTransformer: RegressionPredictionTransformer<LinearRegressionModelParameters> linear } chain)
        {
            var layout = FeatureLayout.Read([.. chain.SkipLast(1)], schema.Features, FeatureLayout.Probe(schema), ModelColumns.For(schema.Features.Select(f => f.Name)));
            var numeric = 0;
            var text = 0;
            _slots = layout.Features.Select(feature => feature switch
            {
                NumericSlot n => new Slot(numeric++, n.Start, n, null),
                CategoricalSlots c => new Slot(text++, c.Start, null, new Dictionary<string, int>(c.SlotOfLevel, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>()),
                _ => throw new ArgumentOutOfRangeException(nameof(model), feature, "Unknown feature kind."),
            }).ToArray();
            _weights = [.. linear.Model.Weights];
            _bias = linear.Model.Bias;
        }
        else
        {
            _predictors = new DefaultObjectPool<RowPredictor>(new PredictorPolicy(model, schema), Environment.ProcessorCount * 4);
        }
    }

    /// <summary>Whether the model is scored from its own linear parameters rather than through ML.NET's row mapper.</summary>
    public bool IsLinear => _predictors is null;

    /// <summary>Writes one prediction per row of <paramref name="batch"/> into <paramref name="predictions"/>.</summary>
    public void Predict(FeatureBatch batch, Span<float> predictions)
    {
        if (_predictors is not null)
        {
            var predictor = _predictors.Get();
            try
            {
                predictor.Predict(batch, predictions);
            }
            finally
            {
                _predictors.Return(predictor);
            }

            return;
        }

        for (var row = 0; row < batch.Rows; row++)
        {
            var numbers = batch.Numbers.AsSpan(row * batch.NumericCount, batch.NumericCount);
            var texts = batch.Texts.AsSpan(row * batch.TextCount, batch.TextCount);
            var score = 0f;
            foreach (var slot in _slots)
            {
                if (slot.Numeric is { } numeric)
                {
                    score += _weights[slot.Start] * numeric.Transform(numbers[slot.Input]);
                }
                else if (slot.Levels!.Value.TryGetValue(texts[slot.Input].Span, out var level))
                {
                    score += _weights[slot.Start + level];
                }
            }

            predictions[row] = _bias + score;
        }
    }

    /// <summary>The score of every row of <paramref name="data"/>, whose columns are found by the features' names; blocks
    /// of rows in parallel.</summary>
    public float[] Score(Dataset data)
    {
        var scores = new float[data.RowCount];
        var blocks = (data.RowCount + RowsPerBlock - 1) / RowsPerBlock;
        Parallel.For(0, blocks, block =>
        {
            var first = block * RowsPerBlock;
            var rows = Math.Min(RowsPerBlock, data.RowCount - first);
            using var batch = FeatureBatch.Of(_schema, data, first, rows);
            Predict(batch, scores.AsSpan(first, rows));
        });
        return scores;
    }

    // Where a feature's value is in a batch row (Input) and where its weights start; a number carries its transform, a
    // category its level → slot lookup.
    private sealed record Slot(int Input, int Start, NumericSlot? Numeric, Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>>? Levels);

    private sealed class PredictorPolicy(ITransformer model, ModelSchema schema) : IPooledObjectPolicy<RowPredictor>
    {
        public RowPredictor Create() => new(model, schema);

        public bool Return(RowPredictor obj) => true;
    }
}
