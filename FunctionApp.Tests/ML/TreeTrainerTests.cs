using ServerlessML.Data;
using ServerlessML.ML;

namespace ServerlessML.Tests.ML;

public sealed class TreeTrainerTests
{
    [TestCase(TrainerKind.FastTree)]
    [TestCase(TrainerKind.LightGbm)]
    public void Train_NonlinearData_BeatsTheLinearModel(TrainerKind kind)
    {
        var (train, test) = DatasetSplit.Split(Parabola(3000), 0.2, 42);
        var mean = train.LabelColumn.Values.Average();

        var tree = ModelEvaluator.Evaluate(ModelTrainer.Train(train, new TrainerOptions(Kind: kind), seed: 42), FeatureSchema.Of(test), test, mean);
        var linear = ModelEvaluator.Evaluate(ModelTrainer.Train(train, new TrainerOptions(), seed: 42), FeatureSchema.Of(test), test, mean);

        Assert.That(tree.RSquared, Is.GreaterThan(0.95));
        Assert.That(linear.RSquared, Is.LessThan(0.5));
    }

    [TestCase(TrainerKind.FastTree)]
    [TestCase(TrainerKind.LightGbm)]
    public void Predict_SavedTreeModel_ServesThroughMLNetsRowMapperAsEvaluated(TrainerKind kind)
    {
        var (train, test) = DatasetSplit.Split(Parabola(1000, withCity: true), 0.2, 42);
        var schema = ModelSchema.Describe(train);
        using var zip = new MemoryStream();
        ModelTrainer.Save(ModelTrainer.Train(train, new TrainerOptions(Kind: kind), seed: 42), train, zip);
        zip.Position = 0;
        var model = ModelTrainer.Load(zip);
        using var batch = new FeatureBatch(schema, test.RowCount);
        var x = ((NumericColumn)test.Table["x"]).Values;
        var city = (CategoricalColumn)test.Table["city"];
        for (var row = 0; row < test.RowCount; row++)
        {
            batch.Numbers[row] = x[row];
            batch.Texts[row] = (city.ValueAt(row) ?? "").AsMemory();
        }

        var scorer = new ModelScorer(model, schema);
        var served = new float[test.RowCount];
        scorer.Predict(batch, served);

        Assert.That(scorer.IsLinear, Is.False);
        Assert.That(served, Is.EqualTo(ModelScorerTests.TransformScores(model, test)).Within(1e-5));
        Assert.That(scorer.Score(test), Is.EqualTo(served), "evaluation scores the test split as serving does");
    }

    [TestCase(TrainerKind.FastTree)]
    [TestCase(TrainerKind.LightGbm)]
    public void Train_SameDataAndSeed_GivesTheSameModel(TrainerKind kind)
    {
        var (train, test) = DatasetSplit.Split(Parabola(1000), 0.2, 42);

        var first = ModelScorerTests.TransformScores(ModelTrainer.Train(train, new TrainerOptions(Kind: kind), seed: 3), test);
        var second = ModelScorerTests.TransformScores(ModelTrainer.Train(train, new TrainerOptions(Kind: kind), seed: 3), test);

        Assert.That(second, Is.EqualTo(first));
    }

    /// <summary>y = x² (+ a city effect) + noise, x in [−3, 3]: no straight line fits it.</summary>
    internal static Dataset Parabola(int rows, bool withCity = false, int seed = 9)
    {
        var random = new Random(seed);
        var x = new float[rows];
        var codes = new int[rows];
        var y = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            x[i] = (float)((random.NextDouble() * 6) - 3);
            codes[i] = random.Next(SyntheticData.Cities.Length);
            y[i] = (float)((x[i] * x[i]) + (withCity ? SyntheticData.CityEffect(SyntheticData.Cities[codes[i]]) : 0) + ((random.NextDouble() - 0.5) * 0.2));
        }

        Column[] columns = withCity
            ? [new NumericColumn("x", x), new CategoricalColumn("city", codes, SyntheticData.Cities), new NumericColumn("y", y)]
            : [new NumericColumn("x", x), new NumericColumn("y", y)];
        return new Dataset(new Table(columns), "y");
    }
}
