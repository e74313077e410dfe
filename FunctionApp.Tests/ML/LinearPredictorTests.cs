using ServerlessML.Data;
using ServerlessML.ML;

namespace ServerlessML.Tests.ML;

public sealed class LinearPredictorTests
{
    [Test]
    public void Predict_ReloadedModel_MatchesMLNetsRowMapper()
    {
        var dataset = CsvTableReader.Read(SyntheticData.Bytes(SyntheticData.Csv(3000, withCity: true, missingRate: 0.1, noise: 2)), new DatasetReadOptions());
        var (train, _) = DatasetSplit.Split(dataset, 0.2, 42);
        var schema = ModelSchema.Describe(train);
        using var zip = new MemoryStream();
        ModelTrainer.Save(ModelTrainer.Train(train, new TrainerOptions(), seed: 42), train, zip);
        zip.Position = 0;
        var model = ModelTrainer.Load(zip);
        var batch = RandomBatch(schema, 500);
        var expected = new float[batch.Rows];
        var actual = new float[batch.Rows];
        using (var rows = new RowPredictor(model, schema))
        {
            rows.Predict(batch, expected);
        }

        LinearPredictor.TryCreate(model, schema)!.Predict(batch, actual);

        Assert.That(actual, Is.EqualTo(expected).Within(1e-4));
    }

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
