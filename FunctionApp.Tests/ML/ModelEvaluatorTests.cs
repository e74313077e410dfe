using Microsoft.ML;
using Microsoft.ML.Data;
using ServerlessML.Data;
using ServerlessML.ML;

namespace ServerlessML.Tests.ML;

public sealed class ModelEvaluatorTests
{
    [Test]
    public void Score_TrainedAndReloadedModels_MatchMLNetTransform()
    {
        var (train, test) = Split(SyntheticData.Csv(3000, withCity: true, missingRate: 0.05, noise: 2));
        var model = ModelTrainer.Train(train, new TrainerOptions(), seed: 42);
        using var zip = new MemoryStream();
        ModelTrainer.Save(model, train, zip);
        zip.Position = 0;
        var reloaded = ModelTrainer.Load(zip);
        var features = FeatureSchema.Of(test);

        var expected = ModelEvaluator.TransformScores(model, features, test);

        Assert.That(reloaded, Is.InstanceOf<TransformerChain<ITransformer>>(), "a reloaded model takes the direct path too");
        Assert.That(ModelEvaluator.Score(model, features, test), Is.EqualTo(expected).Within(1e-4));
        Assert.That(ModelEvaluator.Score(reloaded, features, test), Is.EqualTo(expected).Within(1e-4));
    }

    [Test]
    public void Score_TestColumnsInAnotherOrder_UsesTheModelsOwnOrder()
    {
        var (train, test) = Split(SyntheticData.Csv(2000, withCity: true));
        var model = ModelTrainer.Train(train, new TrainerOptions(), seed: 42);
        var reordered = new Dataset(new Table([test.Table["city"], test.Table["y"], test.Table["x2"], test.Table["x1"]]), "y");

        var scores = ModelEvaluator.Score(model, FeatureSchema.Of(train), reordered);

        Assert.That(scores, Is.EqualTo(ModelEvaluator.TransformScores(model, FeatureSchema.Of(test), test)).Within(1e-4));
    }

    [Test]
    public void Evaluate_MatchesMLNetsRegressionEvaluator()
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

    private static (Dataset Train, Dataset Test) Split(string csv) =>
        DatasetSplit.Split(CsvTableReader.Read(SyntheticData.Bytes(csv), new DatasetReadOptions()), 0.2, 42);
}
