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

/// <summary>Data sent in the request, parsed and checked: what the run is staged from, typed, so that it parses nothing
/// again. <see cref="Sha256"/> is of the data as it was sent, the lineage the model's manifest records.</summary>
public sealed record InlineData(Dataset Dataset, string Sha256) : TrainingData(Dataset.Label, Dataset.RowCount);

/// <summary>A dataset uploaded earlier, by name.</summary>
public sealed record NamedData(DatasetSummary Summary, string Label) : TrainingData(Label, checked((int)Summary.Rows));
