using Microsoft.ML;
using ServerlessML.Data;
using ServerlessML.ML;

namespace ServerlessML.Tests.ML;

public sealed class ModelEvaluatorTests
{
    [Test]
    public void Evaluate_MatchesMLNetsEvaluatorOnMLNetsOwnScores()
    {
        var (train, test) = Split(SyntheticData.Csv(2000, withCity: true, noise: 3));
        var model = ModelTrainer.Train(train, new TrainerOptions(), seed: 42);
        var columns = ModelColumns.For(test.Features.Select(f => f.Name));
        var expected = new MLContext().Regression.Evaluate(model.Transform(new DatasetDataView(test, columns)), columns.Label, ModelColumns.Score);

        var actual = ModelEvaluator.Evaluate(model, FeatureSchema.Of(test), test, trainingMean: 0);

        Assert.That(actual.RSquared, Is.EqualTo(expected.RSquared).Within(1e-5));
        Assert.That(actual.Rmse, Is.EqualTo(expected.RootMeanSquaredError).Within(1e-5));
        Assert.That(actual.Mae, Is.EqualTo(expected.MeanAbsoluteError).Within(1e-5));
    }

    [Test]
    public void Metrics_BaselineRmse_IsTheErrorOfAlwaysPredictingTheTrainingMean()
    {
        float[] labels = [1, 2, 3, 6];
        float[] scores = [1, 2, 3, 5];

        var metrics = ModelEvaluator.Metrics(scores, labels, trainingMean: 2);

        // Errors against the mean 2: −1, 0, 1, 4 → √(18 / 4).
        Assert.That(metrics.BaselineRmse, Is.EqualTo(Math.Sqrt(18.0 / 4)).Within(1e-9));
        Assert.That(metrics.Rmse, Is.EqualTo(Math.Sqrt(1.0 / 4)).Within(1e-6));
        Assert.That(metrics.Mae, Is.EqualTo(1.0 / 4).Within(1e-6));
        Assert.That(metrics.RSquared, Is.EqualTo(1 - (1 / 14.0)).Within(1e-6), "labels' mean 3: total sum of squares 4 + 1 + 0 + 9");
        Assert.That(metrics.BeatsBaseline(), Is.True);
    }

    [Test]
    public void Metrics_LabelsAllEqual_RSquaredIsUndefined()
    {
        float[] labels = [5, 5, 5];
        float[] scores = [4.5f, 5, 5.5f];

        var metrics = ModelEvaluator.Metrics(scores, labels, trainingMean: 5);

        Assert.That(metrics.RSquared, Is.Null);
        Assert.That(metrics.BaselineRmse, Is.Zero);
        Assert.That(metrics.BeatsBaseline(), Is.False);
    }

    [Test]
    public void Metrics_LabelsFarFromZero_RSquaredAsExactAsTheLabelsAllow()
    {
        // A date in years as the label: a large mean and a small spread, where a variance summed in single precision loses digits.
        var random = new Random(4);
        var labels = Enumerable.Range(0, 10_000).Select(_ => (float)(1970 + (random.NextDouble() * 12))).ToArray();
        var scores = labels.Select(y => y + (float)((random.NextDouble() * 2) - 1)).ToArray();
        var mean = labels.Average(y => (double)y);
        var residual = labels.Zip(scores, (y, s) => ((double)y - s) * ((double)y - s)).Sum();
        var total = labels.Sum(y => (y - mean) * (y - mean));

        var metrics = ModelEvaluator.Metrics(scores, labels, trainingMean: mean);

        Assert.That(metrics.RSquared, Is.EqualTo(1 - (residual / total)).Within(1e-6));
    }

    private static (Dataset Train, Dataset Test) Split(string csv) =>
        DatasetSplit.Split(CsvTableReader.Read(SyntheticData.Bytes(csv), new DatasetReadOptions()), 0.2, 42);
}
