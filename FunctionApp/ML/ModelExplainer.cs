using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using ServerlessML.Data;

namespace ServerlessML.ML;

/// <summary>How much one feature's values matter to a model: the RMSE on the test split rises by
/// <see cref="RmseIncrease"/> when they are shuffled. A category counts per level, named <c>feature=level</c>.</summary>
public sealed record FeatureImportance(string Feature, double RmseIncrease, double StandardError);

/// <summary>One prediction taken apart: each feature's contribution to it, by the feature's own name.</summary>
public sealed record Explanation(IReadOnlyDictionary<string, float> Contributions);

/// <summary>
/// Why a model predicts what it does, by ML.NET's own tools: per prediction, its feature contribution calculation
/// (for a linear model each weight times its transformed value; for trees the change along each tree's path); per
/// model, permutation feature importance. Both work on the Features vector, and are summed back onto the features a
/// user sent through the <see cref="FeatureLayout"/>. Not thread-safe: one caller at a time.
/// </summary>
public sealed class ModelExplainer : IDisposable
{
    /// <summary>Permutation importance scores the test split once per Features slot: beyond this many it is skipped.</summary>
    public const int MaxImportanceSlots = 256;

    /// <summary>Rows of the test split permutation importance scores; enough for a stable RMSE.</summary>
    public const int ImportanceRows = 10_000;

    private readonly RowPredictor.InputRow _input;
    private readonly DataViewRow _output;
    private readonly ValueGetter<VBuffer<float>> _contributions;
    private readonly FeatureLayout _layout;
    private readonly ModelSchema _schema;
    private VBuffer<float> _buffer;

    private ModelExplainer(ITransformer model, ModelSchema schema)
    {
        var chain = (TransformerChain<ITransformer>)model;
        var columns = ModelColumns.For(schema.Features.Select(f => f.Name));
        var probe = FeatureLayout.Probe(schema);
        _layout = FeatureLayout.Read([.. chain.SkipLast(1)], schema.Features, probe, columns);
        _schema = schema;

        var ml = new MLContext(0);
        var predictor = (ISingleFeaturePredictionTransformer<ICalculateFeatureContribution>)chain.LastTransformer;
        var every = Math.Min(_layout.Length, 1000);
        var calculate = ml.Transforms.CalculateFeatureContribution(predictor, every, every, normalize: false)
            .Fit(chain.Transform(new DatasetDataView(probe, columns)));
        ITransformer explain = new TransformerChain<ITransformer>([.. chain, calculate]);

        _input = new RowPredictor.InputRow(schema);
        var mapper = explain.GetRowToRowMapper(_input.Schema);
        var column = mapper.OutputSchema["FeatureContributions"];
        _output = mapper.GetRow(_input, [column]);
        _contributions = _output.GetGetter<VBuffer<float>>(column);
    }

    /// <summary>The explainer of a model this app trained, or null for a model whose trainer ML.NET cannot explain.</summary>
    public static ModelExplainer? TryCreate(ITransformer model, ModelSchema schema) =>
        model is TransformerChain<ITransformer> { LastTransformer: ISingleFeaturePredictionTransformer<ICalculateFeatureContribution> }
            ? new ModelExplainer(model, schema)
            : null;

    /// <summary>Each row's contributions by feature, in the schema's order; a category's is that of the level sent.</summary>
    public Explanation[] Explain(FeatureBatch batch)
    {
        var explanations = new Explanation[batch.Rows];
        for (var row = 0; row < batch.Rows; row++)
        {
            _input.MoveTo(batch, row);
            _contributions(ref _buffer);
            var slots = _buffer.DenseValues().ToArray();
            explanations[row] = new Explanation(_layout.Features.ToDictionary(
                f => f.Name,
                f => f switch
                {
                    NumericSlot numeric => slots[numeric.Start],
                    CategoricalSlots categorical => slots.AsSpan(categorical.Start, categorical.Width).ToArray().Sum(),
                    _ => 0f,
                },
                StringComparer.Ordinal));
        }

        return explanations;
    }

    public void Dispose() => _output.Dispose();

    /// <summary>
    /// ML.NET's permutation feature importance of <paramref name="model"/> on (up to <see cref="ImportanceRows"/> of)
    /// <paramref name="test"/>: the RMSE increase per feature, most important first; null when the model has more
    /// Features slots than <see cref="MaxImportanceSlots"/> or is not a chain ending in a predictor.
    /// </summary>
    public static IReadOnlyList<FeatureImportance>? Importance(ITransformer model, IReadOnlyList<FeatureSchema> features, Dataset test, int seed)
    {
        if (model is not TransformerChain<ITransformer> { LastTransformer: ISingleFeaturePredictionTransformer<object> predictor } chain)
        {
            return null;
        }

        var columns = ModelColumns.For(features.Select(f => f.Name));
        var layout = FeatureLayout.Read([.. chain.SkipLast(1)], features, test, columns);
        if (layout.Length > MaxImportanceSlots)
        {
            return null;
        }

        // An even spread of the rows, so that the Features matrix is built for those alone.
        var sample = test.RowCount <= ImportanceRows ? test
            : new Dataset(test.Table.Take(Enumerable.Range(0, ImportanceRows).Select(i => (int)((long)i * test.RowCount / ImportanceRows)).ToArray()), test.Label);
        var ml = new MLContext(seed);
        var statistics = ml.Regression.PermutationFeatureImportance(predictor, new FeaturesDataView(sample, layout, columns), columns.Label);
        var names = new string[layout.Length];
        foreach (var slots in layout.Features)
        {
            switch (slots)
            {
                case NumericSlot numeric:
                    names[numeric.Start] = numeric.Name;
                    break;
                case CategoricalSlots categorical:
                    foreach (var (level, slot) in categorical.SlotOfLevel)
                    {
                        names[categorical.Start + slot] = $"{categorical.Name}={level}";
                    }

                    break;
            }
        }

        return statistics
            .Select((s, slot) => new FeatureImportance(names[slot], s.RootMeanSquaredError.Mean, s.RootMeanSquaredError.StandardError))
            .OrderByDescending(i => i.RmseIncrease)
            .ToList();
    }
}
