using System.Numerics.Tensors;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using ServerlessML.Data;

namespace ServerlessML.ML;

/// <summary>Scores a model on a test split, next to the baseline of always predicting the training mean.</summary>
public static class ModelEvaluator
{
    /// <summary>Evaluates <paramref name="model"/>, trained on <paramref name="features"/> in that order, on <paramref name="test"/>.</summary>
    public static RegressionMetrics Evaluate(ITransformer model, IReadOnlyList<FeatureSchema> features, Dataset test, double trainingMean) =>
        Metrics(Score(model, features, test), test.LabelColumn.Values, trainingMean);

    /// <summary>The metrics of <paramref name="scores"/> against <paramref name="labels"/>, row by row.</summary>
    public static RegressionMetrics Metrics(float[] scores, float[] labels, double trainingMean)
    {
        double squared = 0, absolute = 0, baseline = 0, labelSum = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var error = (double)labels[i] - scores[i];
            squared += error * error;
            absolute += Math.Abs(error);
            baseline += (labels[i] - trainingMean) * (labels[i] - trainingMean);
            labelSum += labels[i];
        }

        var mean = labelSum / labels.Length;
        var total = labels.Sum(y => (y - mean) * (y - mean));
        return new RegressionMetrics(
            RegressionMetrics.Defined(1 - (squared / total)),
            RegressionMetrics.Defined(Math.Sqrt(squared / labels.Length)),
            RegressionMetrics.Defined(absolute / labels.Length),
            RegressionMetrics.Defined(Math.Sqrt(baseline / labels.Length)));
    }

    /// <summary>
    /// The model's score for every test row. A chain of feature transforms ending in a linear predictor (every model
    /// this app trains) is scored as bias + weights · features over the columns directly; anything else goes through
    /// ML.NET's transform.
    /// </summary>
    internal static float[] Score(ITransformer model, IReadOnlyList<FeatureSchema> features, Dataset test)
    {
        if (model is TransformerChain<ITransformer> chain && chain.LastTransformer is RegressionPredictionTransformer<LinearRegressionModelParameters> linear)
        {
            var columns = ModelColumns.For(features.Select(f => f.Name));
            var layout = FeatureLayout.Read([.. chain.SkipLast(1)], features, test, columns);
            var weights = linear.Model.Weights.ToArray();
            var bias = linear.Model.Bias;
            var scores = new float[test.RowCount];
            new FeatureRows(test, layout).ForEach((row, values) => scores[row] = bias + TensorPrimitives.Dot(values, weights));
            return scores;
        }

        return TransformScores(model, features, test);
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

    internal static float[] TransformScores(ITransformer model, IReadOnlyList<FeatureSchema> features, Dataset test)
    {
        var predictions = model.Transform(new DatasetDataView(test, ModelColumns.For(features.Select(f => f.Name))));
        using var cursor = predictions.GetRowCursor([predictions.Schema[ModelColumns.Score]]);
        var getter = cursor.GetGetter<float>(predictions.Schema[ModelColumns.Score]);
        var scores = new float[test.RowCount];
        for (var row = 0; cursor.MoveNext(); row++)
        {
            getter(ref scores[row]);
        }

        return scores;
    }
}
