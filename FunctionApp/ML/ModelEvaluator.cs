using Microsoft.ML;
using ServerlessML.Data;

namespace ServerlessML.ML;

/// <summary>Scores a model on a test split, next to the baseline of always predicting the training mean.</summary>
public static class ModelEvaluator
{
    public static RegressionMetrics Evaluate(ITransformer model, Dataset test, double trainingMean)
    {
        var columns = ModelColumns.For(test.Features.Select(f => f.Name));
        var predictions = model.Transform(new DatasetDataView(test, columns));
        var metrics = new MLContext().Regression.Evaluate(predictions, columns.Label, ModelColumns.Score);

        var labels = test.LabelColumn.Values;
        var baselineMse = labels.Average(y => (y - trainingMean) * (y - trainingMean));
        return new RegressionMetrics(
            RegressionMetrics.Defined(metrics.RSquared),
            RegressionMetrics.Defined(metrics.RootMeanSquaredError),
            RegressionMetrics.Defined(metrics.MeanAbsoluteError),
            RegressionMetrics.Defined(Math.Sqrt(baselineMse)));
    }
}
