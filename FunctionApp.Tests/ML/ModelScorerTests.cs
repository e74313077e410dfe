using Microsoft.ML;
using ServerlessML.Data;
using ServerlessML.ML;

namespace ServerlessML.Tests.ML;

/// <summary>The one scorer's linear path must compute what ML.NET computes, for a request's rows and a test split alike.</summary>
public sealed class ModelScorerTests
{
    [Test]
    public void Predict_ReloadedLinearModel_MatchesMLNetsRowMapper()
    {
        var dataset = CsvTableReader.Read(SyntheticData.Bytes(SyntheticData.Csv(3000, withCity: true, missingRate: 0.1, noise: 2)), new DatasetReadOptions());
        var (train, _) = DatasetSplit.Split(dataset, 0.2, 42);
        var schema = ModelSchema.Describe(train);
        using var zip = new MemoryStream();
        ModelTrainer.Save(ModelTrainer.Train(train, new TrainerOptions(), seed: 42), train, zip);
        zip.Position = 0;
        var model = ModelTrainer.Load(zip);
        using var batch = RandomBatch(schema, 500);
        var expected = new float[batch.Rows];
        var actual = new float[batch.Rows];
        using (var rows = new RowPredictor(model, schema))
        {
            rows.Predict(batch, expected);
        }

        var scorer = new ModelScorer(model, schema);
        scorer.Predict(batch, actual);

        Assert.That(scorer.IsLinear, Is.True, "a reloaded linear model takes the direct path");
        Assert.That(actual, Is.EqualTo(expected).Within(1e-4));
    }

    [Test]
    public void Score_TrainedAndReloadedModels_MatchMLNetTransform()
    {
        var (train, test) = Split(SyntheticData.Csv(90_000, withCity: true, missingRate: 0.05, noise: 2));
        var model = ModelTrainer.Train(train, new TrainerOptions(), seed: 42);
        using var zip = new MemoryStream();
        ModelTrainer.Save(model, train, zip);
        zip.Position = 0;
        var reloaded = ModelTrainer.Load(zip);
        var schema = new ModelSchema(test.Label, FeatureSchema.Of(test));

        var expected = TransformScores(model, test);

        Assert.That(test.RowCount, Is.GreaterThan(16 * 1024), "more than one block of rows");
        Assert.That(new ModelScorer(model, schema).Score(test), Is.EqualTo(expected).Within(1e-4));
        Assert.That(new ModelScorer(reloaded, schema).Score(test), Is.EqualTo(expected).Within(1e-4));
    }

    [Test]
    public void Score_TestColumnsInAnotherOrder_UsesTheModelsOwnOrder()
    {
        var (train, test) = Split(SyntheticData.Csv(2000, withCity: true));
        var model = ModelTrainer.Train(train, new TrainerOptions(), seed: 42);
        var reordered = new Dataset(new Table([test.Table["city"], test.Table["y"], test.Table["x2"], test.Table["x1"]]), "y");

        var scores = new ModelScorer(model, new ModelSchema("y", FeatureSchema.Of(train))).Score(reordered);

        Assert.That(scores, Is.EqualTo(TransformScores(model, test)).Within(1e-4));
    }

    /// <summary>ML.NET's own way to score a dataset: the model's transform, read through a cursor.</summary>
    internal static float[] TransformScores(ITransformer model, Dataset data)
    {
        var predictions = model.Transform(new DatasetDataView(data, ModelColumns.For(data.Features.Select(f => f.Name))));
        using var cursor = predictions.GetRowCursor([predictions.Schema[ModelColumns.Score]]);
        var getter = cursor.GetGetter<float>(predictions.Schema[ModelColumns.Score]);
        var scores = new float[data.RowCount];
        for (var row = 0; cursor.MoveNext(); row++)
        {
            getter(ref scores[row]);
        }

        return scores;
    }

    private static (Dataset Train, Dataset Test) Split(string csv) =>
        DatasetSplit.Split(CsvTableReader.Read(SyntheticData.Bytes(csv), new DatasetReadOptions()), 0.2, 42);

    // Numbers in and beyond the training range, missing ones, known, unknown and missing cities.
    private static FeatureBatch RandomBatch(ModelSchema schema, int rows)
    {
        var random = new Random(3);
        string[] cities = [.. SyntheticData.Cities, "Reykjavík", ""];
        var batch = new FeatureBatch(schema, rows);
        for (var row = 0; row < rows; row++)
        {
            batch.Numbers[row * 2] = random.Next(10) == 0 ? float.NaN : (float)((random.NextDouble() * 30) - 15);
            batch.Numbers[(row * 2) + 1] = random.Next(10) == 0 ? float.NaN : (float)((random.NextDouble() * 8) - 4);
            batch.Texts[row] = cities[random.Next(cities.Length)].AsMemory();
        }

        return batch;
    }
}
