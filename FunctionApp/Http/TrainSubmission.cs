using ServerlessML.Data;
using ServerlessML.ML;
using ServerlessML.Storage;
using ServerlessML.Training;

namespace ServerlessML.Http;

/// <summary>A checked training request: its options and the data to train on.</summary>
public sealed record TrainSubmission(
    string Model,
    double TestFraction,
    int Seed,
    TrainerOptions Trainer,
    PromotionPolicy Promote,
    TimeSpan Wait,
    TrainingData Data,
    int Folds = 0,
    SweepRequest? Sweep = null);

/// <summary>The data of a training request, with the label to predict.</summary>
public abstract record TrainingData(string Label, int Rows);

/// <summary>Data sent in the request, parsed and checked, with the bytes to stage for the run (CSV, or Parquet as sent).</summary>
public sealed record InlineData(Dataset Dataset, ReadOnlyMemory<byte> Bytes, DatasetFormat Format = DatasetFormat.Csv) : TrainingData(Dataset.Label, Dataset.RowCount);

/// <summary>A dataset uploaded earlier, by name.</summary>
public sealed record NamedData(DatasetSummary Summary, string Label) : TrainingData(Label, checked((int)Summary.Rows));
