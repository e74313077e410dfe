using ServerlessML.Data;
using ServerlessML.ML;

namespace ServerlessML.Tests.ML;

/// <summary>
/// A feature far from zero compared with its spread (a model year, 1970–1982) must train as well as centred data:
/// the reference is ordinary least squares, solved here by the normal equations.
/// </summary>
public sealed class OffsetFeatureTests
{
    [Test]
    public void Train_YearFeature_ComesWithinOneHundredthOfOrdinaryLeastSquares()
    {
        var data = YearData(4000, seed: 5);
        var (train, test) = DatasetSplit.Split(data, 0.2, 42);
        var ols = LeastSquares.Fit(train);

        var model = ModelTrainer.Train(train, new TrainerOptions(), seed: 42);
        var metrics = ModelEvaluator.Evaluate(model, FeatureSchema.Of(test), test, train.LabelColumn.Values.Average());

        var reference = LeastSquares.RSquared(ols, test);
        Assert.That(reference, Is.GreaterThan(0.8), "the data should be learnable by a linear model");
        Assert.That(metrics.RSquared, Is.EqualTo(reference).Within(0.01));
    }

    [Test]
    public void Predict_YearFeature_ScorerStillMatchesMLNet()
    {
        var (train, _) = DatasetSplit.Split(YearData(2000, seed: 6), 0.2, 42);
        var schema = ModelSchema.Describe(train);
        var model = ModelTrainer.Train(train, new TrainerOptions(), seed: 42);
        using var batch = new FeatureBatch(schema, 3);
        float[][] rows = [[1970, 0.5f], [1982, -1f], [float.NaN, 2f]];
        for (var row = 0; row < rows.Length; row++)
        {
            rows[row].CopyTo(batch.Numbers, row * 2);
        }

        var expected = new float[3];
        var actual = new float[3];
        using (var mapper = new RowPredictor(model, schema))
        {
            mapper.Predict(batch, expected);
        }

        new ModelScorer(model, schema).Predict(batch, actual);

        Assert.That(actual, Is.EqualTo(expected).Within(1e-3));
        Assert.That(expected[1] - expected[0], Is.GreaterThan(30), "twelve years at 3 a year, less the x2 term");
    }

    /// <summary>y = 3·(year − 1976) − 2·x2 + noise, with the year a whole number in [1970, 1982].</summary>
    internal static Dataset YearData(int rows, int seed)
    {
        var random = new Random(seed);
        var years = new float[rows];
        var x2 = new float[rows];
        var y = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            years[i] = 1970 + random.Next(13);
            x2[i] = (float)((random.NextDouble() * 4) - 2);
            y[i] = (float)((3 * (years[i] - 1976)) - (2 * x2[i]) + 20 + (random.NextDouble() * 6) - 3);
        }

        return new Dataset(new Table([new NumericColumn("year", years), new NumericColumn("x2", x2), new NumericColumn("y", y)]), "y");
    }
}

/// <summary>Ordinary least squares with an intercept over numeric features, by the normal equations in doubles.</summary>
internal static class LeastSquares
{
    public static double[] Fit(Dataset data)
    {
        var x = Design(data);
        var labels = data.LabelColumn.Values;
        var width = x[0].Length;
        var xtx = new double[width, width + 1];
        for (var row = 0; row < x.Length; row++)
        {
            for (var i = 0; i < width; i++)
            {
                for (var j = 0; j < width; j++)
                {
                    xtx[i, j] += x[row][i] * x[row][j];
                }

                xtx[i, width] += x[row][i] * labels[row];
            }
        }

        // Gauss–Jordan elimination with partial pivoting on [XᵀX | Xᵀy].
        for (var column = 0; column < width; column++)
        {
            var pivot = Enumerable.Range(column, width - column).MaxBy(r => Math.Abs(xtx[r, column]));
            for (var k = 0; k <= width; k++)
            {
                (xtx[column, k], xtx[pivot, k]) = (xtx[pivot, k], xtx[column, k]);
            }

            for (var r = 0; r < width; r++)
            {
                if (r == column)
                {
                    continue;
                }

                var factor = xtx[r, column] / xtx[column, column];
                for (var k = column; k <= width; k++)
                {
                    xtx[r, k] -= factor * xtx[column, k];
                }
            }
        }

        return Enumerable.Range(0, width).Select(i => xtx[i, width] / xtx[i, i]).ToArray();
    }

    public static double RSquared(double[] coefficients, Dataset data)
    {
        var x = Design(data);
        var labels = data.LabelColumn.Values;
        var mean = labels.Average(v => (double)v);
        double residual = 0, total = 0;
        for (var row = 0; row < x.Length; row++)
        {
            var predicted = x[row].Zip(coefficients, (a, b) => a * b).Sum();
            residual += (labels[row] - predicted) * (labels[row] - predicted);
            total += (labels[row] - mean) * (labels[row] - mean);
        }

        return 1 - (residual / total);
    }

    // Each row's features, then 1 for the intercept.
    private static double[][] Design(Dataset data)
    {
        var features = data.Features.Cast<NumericColumn>().ToArray();
        return Enumerable.Range(0, data.RowCount)
            .Select(row => features.Select(f => (double)f.Values[row]).Append(1).ToArray())
            .ToArray();
    }
}
