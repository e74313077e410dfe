using System.Globalization;
using ServerlessML.Data;
using ServerlessML.ML;
using ServerlessML.Storage;

namespace ServerlessML.Training;

/// <summary>
/// What a person should know before trusting a trained model, in a sentence each: the facts come from the data
/// (<see cref="PrepareDataset"/> describes the training split in <see cref="ModelSchema"/>) and from the test
/// split's metrics; this turns them into words. Pure, so the orchestrator can call it.
/// </summary>
public static class TrainingWarnings
{
    /// <summary>Fewer test rows than this make RMSE and R² too rough to compare models on.</summary>
    public const int MinTestRows = 30;

    public static IReadOnlyList<string> Of(ModelSchema schema, RowCounts rows, RegressionMetrics metrics)
    {
        var warnings = new List<string>();
        if (rows.Test < MinTestRows)
        {
            warnings.Add($"Only {rows.Test} row{(rows.Test == 1 ? " was" : "s were")} held out for testing: the metrics are rough. Send more rows or raise testFraction.");
        }

        if (schema.LabelRange is { } label && label.Min == label.Max)
        {
            warnings.Add($"The label '{schema.Label}' is {Number(label.Min)} in every training row: there is nothing to learn.");
        }

        if (!(metrics.Rmse < metrics.BaselineRmse))
        {
            warnings.Add($"The model does no better than always predicting the training mean: RMSE {Number(metrics.Rmse)} against the mean's {Number(metrics.BaselineRmse)}.");
        }

        if (metrics.RSquared is not { } rSquared)
        {
            warnings.Add("R² is undefined: every test label is the same, so the test split cannot tell a good model from a bad one.");
        }
        else if (rSquared <= 0)
        {
            warnings.Add($"R² is {Number(rSquared)}: the model predicts the test split no better than the split's own mean would.");
        }

        foreach (var feature in schema.Features)
        {
            if (Uninformative(feature, rows.Train) is { } why)
            {
                warnings.Add($"The feature '{feature.Name}' {why}.");
            }
        }

        return warnings;
    }

    // Why a feature cannot help the model, or null when it can. A missing number is replaced by the training mean
    // (so it does not make a constant column vary), a missing category is its own "unknown" (so it does).
    private static string? Uninformative(FeatureSchema feature, int trainRows)
    {
        const string useless = "it tells the model nothing";
        if (feature.Kind == ColumnKind.Numeric)
        {
            return feature.Min is null ? $"is empty in every training row: {useless}"
                : feature.Min == feature.Max ? $"is {Number(feature.Min)} in every training row: {useless}"
                : null;
        }

        var levels = feature.Levels ?? [];
        return levels.Count == 0 ? $"is empty in every training row: {useless}"
            : levels.Count == 1 && feature.Missing == 0 ? $"is '{levels[0]}' in every training row: {useless}"
            : levels.Count > 1 && levels.Count == trainRows - feature.Missing
                ? "has a different value in every training row, like an identifier: the model cannot learn from it for new rows"
            : null;
    }

    private static string Number(double? value) => value?.ToString("G4", CultureInfo.InvariantCulture) ?? "undefined";
}
