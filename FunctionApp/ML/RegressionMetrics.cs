namespace ServerlessML.ML;

/// <summary>
/// Test-split metrics. <see cref="BaselineRmse"/> is the error of always predicting the training mean, so a model
/// whose <see cref="Rmse"/> is not clearly below it has learned nothing. Null where a metric is undefined
/// (R² of a test split whose labels are all equal).
/// </summary>
public sealed record RegressionMetrics(double? RSquared, double? Rmse, double? Mae, double? BaselineRmse)
{
    public static double? Defined(double value) => double.IsFinite(value) ? value : null;

    /// <summary>Whether the model does better than always predicting the training mean: a lower RMSE than the
    /// baseline's and an R² above 0. Not when either is undefined. (A method, so that it is not serialized.)</summary>
    public bool BeatsBaseline() => Rmse < BaselineRmse && RSquared > 0;
}
