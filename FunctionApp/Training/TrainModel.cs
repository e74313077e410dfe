using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessML.ML;
using ServerlessML.Storage;

namespace ServerlessML.Training;

/// <summary>Activity: fits the pipeline on the training split and writes the candidate model zip.</summary>
public sealed class TrainModel(TrainingRunStore runs, ILogger<TrainModel> logger)
{
    [Function(nameof(TrainModel))]
    public async Task<string> RunAsync([ActivityTrigger] TrainModelInput input, CancellationToken cancellationToken)
    {
        var train = await runs.ReadTableAsync(BlobPath.Parse(input.TrainBlob), cancellationToken);
        var model = ModelTrainer.Train(train, input.Trainer, input.Seed);

        using var zip = new MemoryStream();
        ModelTrainer.Save(model, train, zip);
        var candidate = TrainingRunStore.Candidate(input.RunId);
        await runs.WriteBytesAsync(candidate, new BinaryData(zip.GetBuffer().AsMemory(0, (int)zip.Length)), cancellationToken);

        logger.LogInformation("Trained run {RunId} on {Rows} rows; candidate is {Bytes} bytes", input.RunId, train.RowCount, zip.Length);
        return candidate.ToString();
    }
}
