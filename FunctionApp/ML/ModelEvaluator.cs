using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using ServerlessML.Data;

namespace ServerlessML.ML;

/// <summary>A model's metrics on a test split, scored by <see cref="ModelScorer"/> and measured by ML.NET's regression
/// evaluator, next to the baseline of always predicting the training mean.</summary>
public static class ModelEvaluator
{
    /// <summary>Evaluates <paramref name="model"/>, trained on <paramref name="features"/> in that order, on <paramref name="test"/>.</summary>
    public static RegressionMetrics Evaluate(ITransformer model, IReadOnlyList<FeatureSchema> features, Dataset test, double trainingMean) =>
        Metrics(new ModelScorer(model, new ModelSchema(test.Label, features)).Score(test), test.LabelColumn.Values, trainingMean);

    /// <summary>
    /// The metrics of <paramref name="scores"/> against <paramref name="labels"/>, row by row: R², RMSE and MAE by ML.NET's
    /// regression evaluator; the baseline, the RMSE of always predicting <paramref name="trainingMean"/>, is ours.
    /// </summary>
    public static RegressionMetrics Metrics(float[] scores, float[] labels, double trainingMean)
    {
        var ml = new MLContext();
        var scored = ml.Data.LoadFromEnumerable(labels.Select((label, row) => new ScoredRow { Label = label, Score = scores[row] }));
        var metrics = ml.Regression.Evaluate(scored, nameof(ScoredRow.Label), nameof(ScoredRow.Score));
        var baseline = 0.0;
        foreach (var label in labels)
        {
            baseline += (label - trainingMean) * (label - trainingMean);
        }

        return new RegressionMetrics(
            RegressionMetrics.Defined(metrics.RSquared),
            RegressionMetrics.Defined(metrics.RootMeanSquaredError),
            RegressionMetrics.Defined(metrics.MeanAbsoluteError),
            RegressionMetrics.Defined(Math.Sqrt(baseline / labels.Length)));
    }

    /// <summary>
    /// A linear model's weight on each feature as the trainer saw it (a numeric feature standardized, so weights compare;
    /// a category one indicator per level, named <c>feature=level</c>); null for any other model.
    /// </summary>
    internal static IReadOnlyList<FeatureWeight>? Weights(ITransformer model, IReadOnlyList<FeatureSchema> features, Dataset data)
    {
        if (model is not TransformerChain<ITransformer> chain || chain.LastTransformer is not RegressionPredictionTransformer<LinearRegressionModelParameters> linear)
        {
            return null;
        }

        var layout = FeatureLayout.Read([.. chain.SkipLast(1)], features, data, ModelColumns.For(features.Select(f => f.Name)));
        var weights = linear.Model.Weights.ToArray();
        return layout.Features.SelectMany(slots => slots switch
        {
            NumericSlot numeric => [new FeatureWeight(numeric.Name, weights[numeric.Start])],
            CategoricalSlots categorical => categorical.SlotOfLevel.Select(level => new FeatureWeight($"{categorical.Name}={level.Key}", weights[categorical.Start + level.Value])),
            _ => [],
        }).ToList();
    }

    // One scored test row, as ML.NET's evaluator reads it.
    private sealed class ScoredRow
    {
        public float Label { get; set; }

        public float Score { get; set; }
    }
}
