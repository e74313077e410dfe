using System.Diagnostics;
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
        var clock = Stopwatch.StartNew();
        var train = await runs.ReadTableAsync(BlobPath.Parse(input.TrainBlob), cancellationToken);
        var read = clock.Elapsed;
        var model = ModelTrainer.Train(train, input.Trainer, input.Seed);
        var fit = clock.Elapsed - read;

        using var zip = new MemoryStream();
        ModelTrainer.Save(model, train, zip);
        var candidate = TrainingRunStore.Candidate(input.RunId);
        await runs.WriteBytesAsync(candidate, new BinaryData(zip.GetBuffer().AsMemory(0, (int)zip.Length)), cancellationToken);

        logger.LogInformation(
            "Trained run {RunId} on {Rows} rows in {FitSeconds:F3} s (reading the split {ReadSeconds:F3} s, saving {SaveSeconds:F3} s); candidate is {Bytes} bytes",
            input.RunId, train.RowCount, fit.TotalSeconds, read.TotalSeconds, (clock.Elapsed - read - fit).TotalSeconds, zip.Length);
        return candidate.ToString();
    }
}
