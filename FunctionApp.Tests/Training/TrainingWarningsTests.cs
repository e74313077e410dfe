using ServerlessML.Data;
using ServerlessML.ML;
using ServerlessML.Storage;
using ServerlessML.Training;

namespace ServerlessML.Tests.Training;

/// <summary>The warnings a run gives, from the facts PrepareDataset records and the test split's metrics.</summary>
public sealed class TrainingWarningsTests
{
    private static readonly RegressionMetrics Good = new(0.9, 0.5, 0.4, 1.6);
    private static readonly RowCounts Enough = new(160, 40);
    private static readonly FeatureSchema Size = new("size", ColumnKind.Numeric, Min: 20, Max: 300);
    private static readonly FeatureSchema City = new("city", ColumnKind.Categorical, Levels: ["Bergen", "Oslo"]);

    [Test]
    public void Of_GoodModelOnEnoughVariedData_WarnsOfNothing()
    {
        var warnings = TrainingWarnings.Of(Schema(Size, City), Enough, Good);

        Assert.That(warnings, Is.Empty);
    }

    [Test]
    public void Of_TinyTestSplit_SaysTheMetricsAreRough()
    {
        var warnings = TrainingWarnings.Of(Schema(Size), new RowCounts(6, 2), Good);

        Assert.That(warnings, Is.EqualTo(new[] { "Only 2 rows were held out for testing: the metrics are rough. Send more rows or raise testFraction." }));
    }

    [Test]
    public void Of_ConstantLabel_SaysThereIsNothingToLearn()
    {
        var warnings = TrainingWarnings.Of(Schema(Size) with { LabelRange = new ValueRange(5, 5) }, Enough, new RegressionMetrics(null, 0, 0, 0));

        Assert.That(warnings, Is.EqualTo(new[]
        {
            "The label 'price' is 5 in every training row: there is nothing to learn.",
            "The model does no better than always predicting the training mean: RMSE 0 against the mean's 0.",
            "R² is undefined: every test label is the same, so the test split cannot tell a good model from a bad one.",
        }));
    }

    [Test]
    public void Of_ModelWorseThanTheTrainingMean_SaysSo()
    {
        var warnings = TrainingWarnings.Of(Schema(Size), Enough, new RegressionMetrics(0.01, 1.7, 1, 1.6));

        Assert.That(warnings, Is.EqualTo(new[] { "The model does no better than always predicting the training mean: RMSE 1.7 against the mean's 1.6." }));
    }

    [TestCase(-1272, "R² is -1272: the model predicts the test split no better than the split's own mean would.")]
    [TestCase(0, "R² is 0: the model predicts the test split no better than the split's own mean would.")]
    public void Of_RSquaredNotAboveZero_SaysSo(double rSquared, string warning)
    {
        var warnings = TrainingWarnings.Of(Schema(Size), Enough, new RegressionMetrics(rSquared, 1.1, 1, 1.6));

        Assert.That(warnings, Is.EqualTo(new[] { warning }));
    }

    [Test]
    public void Of_FeaturesThatCannotHelp_NameEachAndSayWhy()
    {
        var schema = Schema(
            Size,
            new FeatureSchema("floor", ColumnKind.Numeric, Min: 3, Max: 3, Missing: 12),
            new FeatureSchema("lift", ColumnKind.Numeric, Missing: 160),
            new FeatureSchema("country", ColumnKind.Categorical, Levels: ["Norway"]),
            new FeatureSchema("address", ColumnKind.Categorical, Levels: [.. Enumerable.Range(0, 150).Select(i => $"Street {i}")], Missing: 10),
            new FeatureSchema("note", ColumnKind.Categorical, Levels: [], Missing: 160));

        var warnings = TrainingWarnings.Of(schema, Enough, Good);

        Assert.That(warnings, Is.EqualTo(new[]
        {
            "The feature 'floor' is 3 in every training row: it tells the model nothing.",
            "The feature 'lift' is empty in every training row: it tells the model nothing.",
            "The feature 'country' is 'Norway' in every training row: it tells the model nothing.",
            "The feature 'address' has a different value in every training row, like an identifier: the model cannot learn from it for new rows.",
            "The feature 'note' is empty in every training row: it tells the model nothing.",
        }));
    }

    [Test]
    public void Of_CategoryWithOneLevelAndSomeMissing_IsNotConstant()
    {
        // Missing is a category of its own ("unknown"), so the column still tells rows apart.
        var warnings = TrainingWarnings.Of(Schema(new FeatureSchema("garage", ColumnKind.Categorical, Levels: ["yes"], Missing: 70)), Enough, Good);

        Assert.That(warnings, Is.Empty);
    }

    private static ModelSchema Schema(params FeatureSchema[] features) => new("price", features, new ValueRange(1, 9));
}
