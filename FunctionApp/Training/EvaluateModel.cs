using Microsoft.Azure.Functions.Worker;
using ServerlessML.ML;
using ServerlessML.Storage;

namespace ServerlessML.Training;

/// <summary>Activity: scores the candidate on the test split, next to the predict-the-mean baseline.</summary>
public sealed class EvaluateModel(TrainingRunStore runs)
{
    [Function(nameof(EvaluateModel))]
    public async Task<RegressionMetrics> RunAsync([ActivityTrigger] EvaluateModelInput input, CancellationToken cancellationToken)
    {
        var test = await runs.ReadTableAsync(BlobPath.Parse(input.TestBlob), cancellationToken);
        var zip = await runs.ReadBytesAsync(BlobPath.Parse(input.CandidateBlob), cancellationToken);
        var model = ModelTrainer.Load(zip.ToStream());
        return ModelEvaluator.Evaluate(model, FeatureSchema.Of(test), test, input.TrainingMean);
    }
}
