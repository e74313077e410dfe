using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using ServerlessML.Data;
using ServerlessML.ML;

namespace ServerlessML.Bench;

/// <summary>
/// Each hand-written ML piece against ML.NET's own path on the same work, in one process, alternately, with the
/// difference between their outputs (issue 10: a hand-written replacement stays only where it is at least 1.3× faster
/// with equal output):
/// (a) training input: FeaturesDataView (the fitted transforms applied to the columns into one matrix) against the
///     fitted transform chain over DatasetDataView, cached as ML.NET's samples do, each feeding the same SDCA;
/// (b) test-split scoring: the scorer's linear path (ModelScorer.Score, as evaluation runs it) against model.Transform
///     and a cursor;
/// (c) serving: the scorer's linear path (ModelScorer.Predict, as LoadedModel runs it) against a pool of ML.NET row
///     predictors, what the scorer falls back on for other models, per row, in batches of 1 and of 10,000.
/// </summary>
internal static class HandWritten
{
    private const int ServingRows = 10_000;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Options(args);
        var csv = options.Required("csv");
        var runs = (int)options.Long("runs", 3);
        var loadBefore = LoadAverage();

        var dataset = await CsvTableReader.ReadAsync(
            _ => Task.FromResult<Stream>(new FileStream(csv, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan)),
            new DatasetReadOptions(),
            CancellationToken.None);
        var (train, test) = DatasetSplit.Split(dataset, 0.2, 42);
        dataset = null;
        var columns = ModelColumns.For(train.Features.Select(f => f.Name));
        var (transforms, layout) = ModelTrainer.FitFeatures(new MLContext(42), ModelTrainer.Sample(train), columns);

        var training = TrainingInput(train, test, transforms, layout, columns, runs);
        var model = training.Model;
        var scoring = Scoring(model, test, runs);
        var serving = Serving(model, ModelSchema.Describe(train), test, runs);

        Cases.Write(options, new
        {
            rows = new { train = train.RowCount, test = test.RowCount, features = layout.Length },
            runs,
            processors = Environment.ProcessorCount,
            loadAverage = new { before = loadBefore, after = LoadAverage() },
            trainingInput = training.Result,
            testScoring = scoring,
            serving,
        });
        return 0;
    }

    // (a) The same fitted transforms and the same SDCA options as ModelTrainer, two ways of feeding it the rows.
    private static (object Result, ITransformer Model) TrainingInput(Dataset train, Dataset test, ITransformer[] transforms, FeatureLayout layout, ModelColumns columns, int runs)
    {
        var chain = new TransformerChain<ITransformer>(transforms);
        var hand = new List<double>();
        var mlnet = new List<double>();
        RegressionPredictionTransformer<LinearRegressionModelParameters>? handModel = null, mlnetModel = null;
        for (var run = 0; run <= runs; run++)
        {
            // The first of each is the JIT's.
            (var seconds, handModel) = Time(() => Sdca(new FeaturesDataView(train, layout, columns), columns));
            if (run > 0)
            {
                hand.Add(seconds);
            }

            (seconds, mlnetModel) = Time(() => Sdca(new MLContext(42).Data.Cache(chain.Transform(new DatasetDataView(train, columns))), columns));
            if (run > 0)
            {
                mlnet.Add(seconds);
            }
        }

        var weightsA = handModel!.Model.Weights.ToArray();
        var weightsB = mlnetModel!.Model.Weights.ToArray();
        var weightDifference = weightsA.Zip(weightsB, (a, b) => Math.Abs(a - b)).Max();
        var handChain = new TransformerChain<ITransformer>([.. transforms, handModel]);
        var scoresA = Scorer(handChain, test).Score(test);
        var scoresB = Scorer(new TransformerChain<ITransformer>([.. transforms, mlnetModel]), test).Score(test);
        return (new
        {
            handWritten = Summary(hand),
            mlnet = Summary(mlnet),
            speedup = Median(mlnet) / Median(hand),
            maxWeightDifference = weightDifference,
            relativeWeightDifference = weightDifference / weightsB.Max(Math.Abs),
            biasDifference = Math.Abs(handModel.Model.Bias - mlnetModel.Model.Bias),
            maxPredictionDifference = MaxDifference(scoresA, scoresB),
            rSquared = new
            {
                handWritten = ModelEvaluator.Metrics(scoresA, test.LabelColumn.Values, 0).RSquared,
                mlnet = ModelEvaluator.Metrics(scoresB, test.LabelColumn.Values, 0).RSquared,
            },
        }, handChain);
    }

    // (b) The whole test split, scored both ways by the trained model.
    private static object Scoring(ITransformer model, Dataset test, int runs)
    {
        var hand = new List<double>();
        var mlnet = new List<double>();
        float[] a = [], b = [];
        for (var run = 0; run <= runs; run++)
        {
            // The first of each is the JIT's.
            (var seconds, a) = Time(() => Scorer(model, test).Score(test));
            if (run > 0)
            {
                hand.Add(seconds);
            }

            (seconds, b) = Time(() => TransformScores(model, test));
            if (run > 0)
            {
                mlnet.Add(seconds);
            }
        }

        // What ML.NET's evaluator adds to evaluation, on the same rows.
        var metrics = new List<double>();
        for (var run = 0; run <= runs; run++)
        {
            var (seconds, _) = Time(() => ModelEvaluator.Metrics(a, test.LabelColumn.Values, 0));
            if (run > 0)
            {
                metrics.Add(seconds);
            }
        }

        return new { handWritten = Summary(hand), mlnet = Summary(mlnet), speedup = Median(mlnet) / Median(hand), maxPredictionDifference = MaxDifference(a, b), metricsSeconds = Summary(metrics) };
    }

    // (c) The first 10,000 test rows, as a predict request's batch would hold them.
    private static Dictionary<string, object> Serving(ITransformer model, ModelSchema schema, Dataset test, int runs)
    {
        var rows = Math.Min(ServingRows, test.RowCount);
        using var whole = FeatureBatch.Of(schema, test, 0, rows);
        var singles = Enumerable.Range(0, rows).Select(row => FeatureBatch.Of(schema, test, row, 1)).ToArray();
        var linear = new ModelScorer(model, schema);
        if (!linear.IsLinear)
        {
            throw new InvalidOperationException("The model is not linear.");
        }

        var pool = new DefaultObjectPool<RowPredictor>(new RowPredictorPolicy(model, schema), Environment.ProcessorCount * 4);

        float[] Linear(FeatureBatch[] batches)
        {
            var predictions = new float[batches.Sum(b => b.Rows)];
            var at = 0;
            foreach (var batch in batches)
            {
                linear.Predict(batch, predictions.AsSpan(at, batch.Rows));
                at += batch.Rows;
            }

            return predictions;
        }

        float[] Pooled(FeatureBatch[] batches)
        {
            var predictions = new float[batches.Sum(b => b.Rows)];
            var at = 0;
            foreach (var batch in batches)
            {
                var predictor = pool.Get();
                try
                {
                    predictor.Predict(batch, predictions.AsSpan(at, batch.Rows));
                }
                finally
                {
                    pool.Return(predictor);
                }

                at += batch.Rows;
            }

            return predictions;
        }

        var result = new Dictionary<string, object>();
        foreach (var (name, batches) in new[] { ("batchOf1", singles), ($"batchOf{rows}", new[] { whole }) })
        {
            var hand = new List<double>();
            var mlnet = new List<double>();
            float[] a = [], b = [];
            // Many repeats of a short piece of work: the median of several settles the JIT and the noise of a shared machine.
            for (var run = 0; run <= runs * 3; run++)
            {
                (var seconds, a) = Time(() => Linear(batches));
                if (run > 0)
                {
                    hand.Add(seconds * 1e9 / rows);
                }

                (seconds, b) = Time(() => Pooled(batches));
                if (run > 0)
                {
                    mlnet.Add(seconds * 1e9 / rows);
                }
            }

            result[name] = new { nanosecondsPerRow = new { handWritten = Summary(hand), mlnet = Summary(mlnet) }, speedup = Median(mlnet) / Median(hand), maxPredictionDifference = MaxDifference(a, b) };
        }

        foreach (var single in singles)
        {
            single.Dispose();
        }

        return result;
    }

    private static RegressionPredictionTransformer<LinearRegressionModelParameters> Sdca(IDataView data, ModelColumns columns) =>
        new MLContext(42).Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options
        {
            LabelColumnName = columns.Label,
            FeatureColumnName = columns.Features,
            NumberOfThreads = 1,
        }).Fit(data);

    private static ModelScorer Scorer(ITransformer model, Dataset test) => new(model, new ModelSchema(test.Label, FeatureSchema.Of(test)));

    // ML.NET's own way to score a dataset: the model's transform, read through a cursor.
    private static float[] TransformScores(ITransformer model, Dataset test)
    {
        var predictions = model.Transform(new DatasetDataView(test, ModelColumns.For(test.Features.Select(f => f.Name))));
        using var cursor = predictions.GetRowCursor([predictions.Schema[ModelColumns.Score]]);
        var getter = cursor.GetGetter<float>(predictions.Schema[ModelColumns.Score]);
        var scores = new float[test.RowCount];
        for (var row = 0; cursor.MoveNext(); row++)
        {
            getter(ref scores[row]);
        }

        return scores;
    }

    private static (double Seconds, T Value) Time<T>(Func<T> work)
    {
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var clock = Stopwatch.StartNew();
        var value = work();
        return (clock.Elapsed.TotalSeconds, value);
    }

    private static object Summary(List<double> values) => new { median = Median(values), all = values.Select(v => Math.Round(v, 4)) };

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static double MaxDifference(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs((double)x - y)).DefaultIfEmpty(0).Max();

    private static double[] LoadAverage() =>
        File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    private sealed class RowPredictorPolicy(ITransformer model, ModelSchema schema) : IPooledObjectPolicy<RowPredictor>
    {
        public RowPredictor Create() => new(model, schema);

        public bool Return(RowPredictor obj) => true;
    }
}
