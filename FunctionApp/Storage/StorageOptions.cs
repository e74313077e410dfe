namespace ServerlessML.Storage;

/// <summary>
/// Where datasets and models live (configuration section <c>Storage</c>). Give a connection string, or an account
/// URI reached with <c>DefaultAzureCredential</c> (managed identity in Azure). With neither, the Functions host's
/// own <c>AzureWebJobsStorage</c> connection is used.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public string? ConnectionString { get; set; }

    /// <summary>The Blob service endpoint, e.g. <c>https://myaccount.blob.core.windows.net</c>.</summary>
    public Uri? ServiceUri { get; set; }
}
