using Microsoft.ML;
using ServerlessML.Data;

namespace ServerlessML.ML;

/// <summary>The mean and standard deviation of R² and RMSE over the folds of a cross-validation.</summary>
public sealed record CrossValidationSummary(int Folds, double? RSquaredMean, double? RSquaredStd, double? RmseMean, double? RmseStd)
{
    /// <summary>Sums up the folds' metrics; a metric undefined in any fold is undefined overall. The standard deviation is
    /// the sample's (n − 1), as scikit-learn users read it from <c>cross_val_score(...).std(ddof=1)</c>.</summary>
    public static CrossValidationSummary Of(IReadOnlyList<RegressionMetrics> folds)
    {
        var (r2Mean, r2Std) = MeanAndStd(folds.Select(f => f.RSquared).ToArray());
        var (rmseMean, rmseStd) = MeanAndStd(folds.Select(f => f.Rmse).ToArray());
        return new CrossValidationSummary(folds.Count, r2Mean, r2Std, rmseMean, rmseStd);
    }

    private static (double? Mean, double? Std) MeanAndStd(double?[] values)
    {
        if (values.Length == 0 || values.Any(v => v is null))
        {
            return (null, null);
        }

        var mean = values.Average(v => v!.Value);
        var std = values.Length < 2 ? 0 : Math.Sqrt(values.Sum(v => (v!.Value - mean) * (v.Value - mean)) / (values.Length - 1));
        return (mean, std);
    }
}

/// <summary>k-fold cross-validation over a training split: which rows each fold holds out, and one fold's score.</summary>
public static class CrossValidation
{
    public const int MinFolds = 2;
    public const int MaxFolds = 10;

    /// <summary>The rows fold <paramref name="fold"/> of <paramref name="folds"/> trains on and holds out, each in their
    /// original order: a seeded shuffle dealt round-robin, so the folds differ in size by one row at most.</summary>
    public static (int[] Train, int[] HeldOut) Rows(int rows, int folds, int fold, int seed)
    {
        var order = DatasetSplit.Shuffle(rows, seed);
        var heldOut = order.Where((_, position) => position % folds == fold).Order().ToArray();
        var train = order.Where((_, position) => position % folds != fold).Order().ToArray();
        return (train, heldOut);
    }

    /// <summary>Trains on every fold but one and scores on that one, against the mean of the rows it trained on; every
    /// metric null when the trainer diverged.</summary>
    public static RegressionMetrics Fold(Dataset data, TrainerOptions trainer, int folds, int fold, int seed)
    {
        var (trainRows, heldOutRows) = Rows(data.RowCount, folds, fold, seed);
        var train = new Dataset(data.Table.Take(trainRows), data.Label);
        var heldOut = new Dataset(data.Table.Take(heldOutRows), data.Label);
        ITransformer model;
        try
        {
            model = ModelTrainer.Train(train, trainer, seed);
        }
        catch (ArgumentOutOfRangeException e) when (e.ParamName == "weights")
        {
            // SDCA diverged (too little L2 for this data): the candidate scores nothing and ranks last, rather than
            // failing the sweep it is one of.
            return new RegressionMetrics(null, null, null, null);
        }

        return ModelEvaluator.Evaluate(model, FeatureSchema.Of(heldOut), heldOut, train.LabelColumn.Values.Average(v => (double)v));
    }
}
