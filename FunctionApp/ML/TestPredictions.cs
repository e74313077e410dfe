namespace ServerlessML.ML;

/// <summary>A model's weight on one feature (see <see cref="ModelEvaluator.Weights"/>).</summary>
public sealed record FeatureWeight(string Feature, float Weight);

/// <summary>One test row: what it was and what the model said.</summary>
public sealed record PredictionPoint(float Actual, float Predicted);

/// <summary>
/// A sample of a version's predictions on its test split (at most <see cref="MaxPoints"/>, evenly spread over the rows),
/// a linear model's weights and the permutation importance of its features, kept with the version so that its plots
/// need neither the data nor the model.
/// </summary>
public sealed record TestPredictions(
    string Label,
    int Rows,
    IReadOnlyList<PredictionPoint> Points,
    IReadOnlyList<FeatureWeight>? Weights = null,
    IReadOnlyList<FeatureImportance>? Importance = null)
{
    public const int MaxPoints = 2000;

    public static TestPredictions Sample(string label, float[] actual, float[] predicted, IReadOnlyList<FeatureWeight>? weights = null, IReadOnlyList<FeatureImportance>? importance = null)
    {
        var count = Math.Min(MaxPoints, actual.Length);
        var points = new PredictionPoint[count];
        for (var i = 0; i < count; i++)
        {
            var row = (int)((long)i * actual.Length / count);
            points[i] = new PredictionPoint(actual[row], predicted[row]);
        }

        return new TestPredictions(label, actual.Length, points, weights, importance);
    }
}
