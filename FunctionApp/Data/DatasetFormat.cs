namespace ServerlessML.Data;

/// <summary>The file formats a dataset is uploaded and stored in; a stored dataset keeps the format it was sent in.</summary>
public enum DatasetFormat
{
    Csv,
    Parquet,
}

public static class DatasetFormats
{
    public static readonly IReadOnlyList<DatasetFormat> All = [DatasetFormat.Csv, DatasetFormat.Parquet];

    /// <summary>The file name extension, with its dot.</summary>
    public static string Extension(this DatasetFormat format) => format == DatasetFormat.Parquet ? ".parquet" : ".csv";

    public static string ContentType(this DatasetFormat format) =>
        format == DatasetFormat.Parquet ? ParquetTableReader.MediaType : "text/csv; charset=utf-8";

    /// <summary>The format a file name's extension says, or null for any other name.</summary>
    public static DatasetFormat? OfName(string name) =>
        name.EndsWith(".csv", StringComparison.Ordinal) ? DatasetFormat.Csv
        : name.EndsWith(".parquet", StringComparison.Ordinal) ? DatasetFormat.Parquet
        : null;

    /// <summary>The name without its format's extension.</summary>
    public static string WithoutExtension(string name, DatasetFormat format) => name[..^format.Extension().Length];
}
