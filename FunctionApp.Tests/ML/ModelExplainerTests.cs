using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using ServerlessML.Data;
using ServerlessML.ML;

namespace ServerlessML.Tests.ML;

public sealed class ModelExplainerTests
{
    [Test]
    public void Explain_LinearModel_ContributionsAreWeightTimesTransformedValueAndAddUpToThePrediction()
    {
        var train = Dataset(SyntheticData.Csv(2000, withCity: true, noise: 1));
        var schema = ModelSchema.Describe(train);
        var model = ModelTrainer.Train(train, new TrainerOptions(), seed: 42);
        var linear = (RegressionPredictionTransformer<LinearRegressionModelParameters>)((TransformerChain<ITransformer>)model).LastTransformer;
        var weights = ModelEvaluator.Weights(model, schema.Features, train)!.ToDictionary(w => w.Feature, w => w.Weight);
        using var batch = Batch(schema, (2.0f, 1.0f, "Oslo"), (-1.0f, 0.5f, "Reykjavík"));
        var predictions = new float[2];
        new ModelScorer(model, schema).Predict(batch, predictions);

        using var explainer = ModelExplainer.TryCreate(model, schema)!;
        var explanations = explainer.Explain(batch);

        Assert.That(explanations[0].Contributions.Keys, Is.EqualTo(new[] { "x1", "x2", "city" }));
        Assert.That(explanations[0].Contributions.Values.Sum() + linear.Model.Bias, Is.EqualTo(predictions[0]).Within(1e-3));
        Assert.That(explanations[1].Contributions.Values.Sum() + linear.Model.Bias, Is.EqualTo(predictions[1]).Within(1e-3));
        Assert.That(explanations[0].Contributions["city"], Is.EqualTo(weights["city=Oslo"]).Within(1e-5));
        Assert.That(explanations[1].Contributions["city"], Is.Zero, "an unseen city has no slot of its own");
    }

    [TestCase(TrainerKind.FastTree)]
    [TestCase(TrainerKind.LightGbm)]
    public void Explain_TreeModel_GivesTheFeatureThatMattersTheLargestContribution(TrainerKind kind)
    {
        var train = TreeTrainerTests.Parabola(2000, withCity: true);
        var schema = ModelSchema.Describe(train);
        var model = ModelTrainer.Train(train, new TrainerOptions(Kind: kind), seed: 42);
        using var batch = Batch(schema, (2.9f, float.NaN, "Tromsø"));

        using var explainer = ModelExplainer.TryCreate(model, schema)!;
        var contributions = explainer.Explain(batch)[0].Contributions;

        Assert.That(contributions.Keys, Is.EqualTo(new[] { "x", "city" }));
        Assert.That(contributions["x"], Is.GreaterThan(2), "x² at 2.9 is far above its mean of 3");
        Assert.That(contributions["x"], Is.GreaterThan(Math.Abs(contributions["city"])));
    }

    [Test]
    public void Importance_LinearData_RanksFeaturesByTheirEffectUnderTheirOwnNames()
    {
        var data = Dataset(SyntheticData.Csv(3000, withCity: true, noise: 0.5));
        var (train, test) = DatasetSplit.Split(data, 0.2, 42);
        var model = ModelTrainer.Train(train, new TrainerOptions(), seed: 42);

        var importance = ModelExplainer.Importance(model, FeatureSchema.Of(test), test, seed: 42)!;

        Assert.That(importance.Select(i => i.Feature), Is.EquivalentTo(new[] { "x1", "x2", "city=Oslo", "city=Bergen", "city=Tromsø" }));
        Assert.That(importance[0].Feature, Is.EqualTo("x1"), "3·x1 over [−5, 5] moves y most");
        Assert.That(importance.Single(i => i.Feature == "x2").RmseIncrease, Is.GreaterThan(importance.Single(i => i.Feature == "city=Tromsø").RmseIncrease));
        Assert.That(importance, Has.All.Matches<FeatureImportance>(i => double.IsFinite(i.RmseIncrease)));
    }

    private static Dataset Dataset(string csv) => CsvTableReader.Read(SyntheticData.Bytes(csv), new DatasetReadOptions());

    // Rows of (first number, second number, category) for a schema of two numbers and a category, or one number and one.
    private static FeatureBatch Batch(ModelSchema schema, params (float A, float B, string City)[] rows)
    {
        var batch = new FeatureBatch(schema, rows.Length);
        for (var row = 0; row < rows.Length; row++)
        {
            batch.Numbers[row * batch.NumericCount] = rows[row].A;
            if (batch.NumericCount > 1)
            {
                batch.Numbers[(row * batch.NumericCount) + 1] = rows[row].B;
            }

            batch.Texts[row] = rows[row].City.AsMemory();
        }

        return batch;
    }
}
