using ServerlessML.Data;
using ServerlessML.ML;

namespace ServerlessML.Tests.ML;

public sealed class ModelTrainerTests
{
    [Test]
    public void Train_LinearData_ReachesRSquaredAbove99Percent()
    {
        var (train, test) = Split(SyntheticData.Csv(2000));

        var model = ModelTrainer.Train(train, new TrainerOptions(), seed: 42);
        var metrics = ModelEvaluator.Evaluate(model, FeatureSchema.Of(test), test, train.LabelColumn.Values.Average());

        Assert.That(metrics.RSquared, Is.GreaterThan(0.99));
        Assert.That(metrics.Rmse, Is.LessThan(metrics.BaselineRmse!.Value / 10));
    }

    [Test]
    public void Train_CategoricalColumn_LearnsItsEffect()
    {
        var (train, test) = Split(SyntheticData.Csv(3000, withCity: true));
        var schema = ModelSchema.Describe(train);

        var model = ModelTrainer.Train(train, new TrainerOptions(), seed: 42);
        var predictions = Predict(model, schema, [(1.0, 0.5, "Oslo"), (1.0, 0.5, "Bergen")]);

        Assert.That(schema.Features[2].Levels, Is.EquivalentTo(SyntheticData.Cities));
        Assert.That(predictions[0], Is.EqualTo(SyntheticData.Truth(1, 0.5, "Oslo")).Within(0.1));
        Assert.That(predictions[1], Is.EqualTo(SyntheticData.Truth(1, 0.5, "Bergen")).Within(0.1));
        Assert.That(ModelEvaluator.Evaluate(model, FeatureSchema.Of(test), test, train.LabelColumn.Values.Average()).RSquared, Is.GreaterThan(0.99));
    }

    [Test]
    public void Predict_MissingNumberAndUnseenCategory_GivesFiniteValue()
    {
        var (train, _) = Split(SyntheticData.Csv(1000, withCity: true, missingRate: 0.1));
        var schema = ModelSchema.Describe(train);
        var model = ModelTrainer.Train(train, new TrainerOptions(), seed: 42);

        var predictions = Predict(model, schema, [(double.NaN, 0.5, "Reykjavík"), (1.0, 0.5, null)]);

        Assert.That(schema.Features[0].Missing, Is.GreaterThan(0));
        Assert.That(predictions, Has.All.Matches<float>(float.IsFinite));
    }

    [Test]
    public void Train_SameDataAndSeed_GivesIdenticalPredictions()
    {
        var (train, _) = Split(SyntheticData.Csv(1000, withCity: true, noise: 1));
        var schema = ModelSchema.Describe(train);
        (double, double, string?)[] rows = [(0.3, -1.2, "Oslo"), (4.0, 1.0, "Tromsø")];

        var first = Predict(ModelTrainer.Train(train, new TrainerOptions(), seed: 7), schema, rows);
        var second = Predict(ModelTrainer.Train(train, new TrainerOptions(), seed: 7), schema, rows);

        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void SaveThenLoad_PredictsTheSame()
    {
        var (train, _) = Split(SyntheticData.Csv(500, withCity: true));
        var schema = ModelSchema.Describe(train);
        var model = ModelTrainer.Train(train, new TrainerOptions(), seed: 42);
        using var zip = new MemoryStream();
        ModelTrainer.Save(model, train, zip);
        zip.Position = 0;

        var loaded = ModelTrainer.Load(zip);

        Assert.That(Predict(loaded, schema, [(2.0, 1.0, "Bergen")]), Is.EqualTo(Predict(model, schema, [(2.0, 1.0, "Bergen")])));
    }

    private static (Dataset Train, Dataset Test) Split(string csv)
    {
        var dataset = CsvTableReader.Read(SyntheticData.Bytes(csv), new DatasetReadOptions());
        var cut = dataset.RowCount * 4 / 5;
        var rows = Enumerable.Range(0, dataset.RowCount).ToArray();
        return (new Dataset(dataset.Table.Take(rows[..cut]), dataset.Label), new Dataset(dataset.Table.Take(rows[cut..]), dataset.Label));
    }

    private static float[] Predict(Microsoft.ML.ITransformer model, ModelSchema schema, (double X1, double X2, string? City)[] rows)
    {
        var batch = new FeatureBatch(schema, rows.Length);
        for (var i = 0; i < rows.Length; i++)
        {
            batch.Numbers[i * batch.NumericCount] = (float)rows[i].X1;
            batch.Numbers[(i * batch.NumericCount) + 1] = (float)rows[i].X2;
            if (batch.TextCount > 0)
            {
                batch.Texts[i * batch.TextCount] = (rows[i].City ?? "").AsMemory();
            }
        }

        using var predictor = new RowPredictor(model, schema);
        var predictions = new float[rows.Length];
        predictor.Predict(batch, predictions);
        return predictions;
    }
}
