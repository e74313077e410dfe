using System.Diagnostics;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessML.ML;
using ServerlessML.Storage;

namespace ServerlessML.Training;

/// <summary>Activity: one fold of a cross-validation: trains on the other folds of the training split and scores on
/// this one. It writes nothing, so running it twice does no harm.</summary>
public sealed class CrossValidateFold(TrainingRunStore runs, PreparedDataCache cache, ILogger<CrossValidateFold> logger)
{
    [Function(nameof(CrossValidateFold))]
    public async Task<RegressionMetrics> RunAsync([ActivityTrigger] CrossValidateFoldInput input, CancellationToken cancellationToken)
    {
        MemoryRelief.BeforeLargeWork();
        var clock = Stopwatch.StartNew();
        var cached = cache.TrainSplit(input.Split);
        var train = cached ?? await runs.ReadTableAsync(BlobPath.Parse(input.TrainBlob), cancellationToken);
        var metrics = CrossValidation.Fold(train, input.Trainer, input.Folds, input.Fold, input.Seed);
        logger.FoldScored(input.Fold + 1, input.Folds, input.Trainer.Name, input.TrainBlob, clock.Elapsed.TotalSeconds, metrics.Rmse,
            cached is null ? "blob storage" : "this instance's memory (the prepared-data cache)");
        return metrics;
    }
}
