using ServerlessML.Data;

namespace ServerlessML.Storage;

/// <summary>An uploaded dataset as the API shows it: size, rows, columns (kind, missing values), SHA-256, and the format
/// it is stored in (CSV in summaries written before Parquet was accepted).</summary>
public sealed record DatasetSummary(string Name, long Bytes, long Rows, IReadOnlyList<ColumnProfile> Columns, string Sha256, DateTimeOffset Created, DatasetFormat Format = DatasetFormat.Csv);

/// <summary>Data staged for one training run: its blob, the model and run it was staged for, and when.</summary>
public sealed record StagedDataset(BlobPath Path, string Model, string RunId, DateTimeOffset Written);
