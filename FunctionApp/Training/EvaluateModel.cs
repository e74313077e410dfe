using System.Diagnostics;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessML.ML;
using ServerlessML.Storage;

namespace ServerlessML.Training;

/// <summary>Activity: scores the candidate on the test split, next to the predict-the-mean baseline.</summary>
public sealed class EvaluateModel(TrainingRunStore runs, ILogger<EvaluateModel> logger)
{
    [Function(nameof(EvaluateModel))]
    public async Task<RegressionMetrics> RunAsync([ActivityTrigger] EvaluateModelInput input, CancellationToken cancellationToken)
    {
        MemoryRelief.BeforeLargeWork();
        var clock = Stopwatch.StartNew();
        var test = await runs.ReadTableAsync(BlobPath.Parse(input.TestBlob), cancellationToken);
        var zip = await runs.ReadBytesAsync(BlobPath.Parse(input.CandidateBlob), cancellationToken);
        var model = ModelTrainer.Load(zip.ToStream());
        var metrics = ModelEvaluator.Evaluate(model, FeatureSchema.Of(test), test, input.TrainingMean);
        logger.LogInformation("Evaluated {CandidateBlob} on {Rows} rows in {EvaluateSeconds:F3} s: R² {RSquared}", input.CandidateBlob, test.RowCount, clock.Elapsed.TotalSeconds, metrics.RSquared);
        return metrics;
    }
}
