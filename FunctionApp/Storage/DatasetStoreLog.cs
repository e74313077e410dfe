using Microsoft.Extensions.Logging;

namespace ServerlessML.Storage;

/// <summary>What <see cref="DatasetStore"/> logs, as source-generated messages.</summary>
internal static partial class DatasetStoreLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Uploaded dataset {Dataset} as Parquet: {Bytes} bytes, {Rows} rows")]
    public static partial void UploadedParquet(this ILogger logger, string dataset, long bytes, long rows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Took over the claim on dataset name {Dataset}, left since {Since} by an upload that never finished")]
    public static partial void StaleClaimTakenOver(this ILogger logger, string dataset, DateTimeOffset since);
}
