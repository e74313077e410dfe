using Microsoft.Extensions.Logging;

namespace ServerlessML.Storage;

/// <summary>What <see cref="DatasetStore"/> logs, as source-generated messages.</summary>
internal static partial class DatasetStoreLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Uploaded dataset {Dataset} as Parquet: {Bytes} bytes, {Rows} rows")]
    public static partial void UploadedParquet(this ILogger logger, string dataset, long bytes, long rows);
}
