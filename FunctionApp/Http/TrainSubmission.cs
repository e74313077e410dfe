using ServerlessML.Data;
using ServerlessML.ML;

namespace ServerlessML.Http;

/// <summary>A checked training request: options, the parsed dataset, and the CSV bytes to stage for it.</summary>
public sealed record TrainSubmission(
    string Model,
    double TestFraction,
    int Seed,
    TrainerOptions Trainer,
    TimeSpan Wait,
    Dataset Dataset,
    ReadOnlyMemory<byte> Csv);
