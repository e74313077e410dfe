using System.Diagnostics;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessML.ML;
using ServerlessML.Storage;
using ServerlessML.Telemetry;

namespace ServerlessML.Training;

/// <summary>Activity: scores the candidate on the test split, next to the predict-the-mean baseline.</summary>
public sealed class EvaluateModel(TrainingRunStore runs, PreparedDataCache cache, ILogger<EvaluateModel> logger)
{
    [Function(nameof(EvaluateModel))]
    public async Task<RegressionMetrics> RunAsync([ActivityTrigger] EvaluateModelInput input, CancellationToken cancellationToken)
    {
        using var span = ServerlessTelemetry.StartPhase(nameof(EvaluateModel), input.RunId);
        MemoryRelief.BeforeLargeWork();
        var clock = Stopwatch.StartNew();
        var cached = cache.TestSplit(input.Split);
        PreparedDataCache.Report(logger, span, nameof(EvaluateModel), input.TestBlob, cached is not null);
        var test = cached ?? await runs.ReadTableAsync(BlobPath.Parse(input.TestBlob), cancellationToken);
        var zip = await runs.ReadBytesAsync(BlobPath.Parse(input.CandidateBlob), cancellationToken);
        var model = ModelTrainer.Load(zip.ToStream());
        var features = FeatureSchema.Of(test);
        var scores = new ModelScorer(model, new ModelSchema(test.Label, features)).Score(test);
        var metrics = ModelEvaluator.Metrics(scores, test.LabelColumn.Values, input.TrainingMean);
        if (input.RunId is { } runId)
        {
            // What the dashboard plots for the version: actual against predicted on (a sample of) the test split.
            // With them, how much each feature matters on this test split, for the manifest.
            var sample = TestPredictions.Sample(test.Label, test.LabelColumn.Values, scores, ModelEvaluator.Weights(model, features, test), ModelExplainer.Importance(model, features, test, seed: 0));
            await runs.WriteBytesAsync(TrainingRunStore.TestPredictions(runId), BinaryData.FromObjectAsJson(sample, StorageJson.Options), cancellationToken);
        }

        logger.Evaluated(input.CandidateBlob, test.RowCount, clock.Elapsed.TotalSeconds, metrics.RSquared);
        span?.SetTag(ServerlessTelemetry.RowsAttribute, test.RowCount)
            .SetTag("serverlessml.metrics.r_squared", metrics.RSquared)
            .SetTag("serverlessml.metrics.rmse", metrics.Rmse);
        return metrics;
    }
}
