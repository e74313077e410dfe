using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ServerlessML.ML;
using ServerlessML.Storage;

namespace ServerlessML.Tests.Infrastructure;

/// <summary>Small manifests for tests that publish straight through the model store, without training.</summary>
internal static class Manifests
{
    public static ModelManifest For(string model, int version, string runId, DateTimeOffset? created = null) => new(
        model,
        version,
        created ?? DateTimeOffset.UtcNow,
        runId,
        new ModelSchema("y", [new FeatureSchema("x", ServerlessML.Data.ColumnKind.Numeric)]),
        new TrainingSettings("Sdca", new TrainerOptions(), 0.2, 42),
        new RegressionMetrics(1, 0, 0, 1),
        new RowCounts(8, 2),
        new DatasetReference("datasets/x.csv", "00"),
        "5.0.1");

    /// <summary>Publishes a stand-in model (its bytes are not a real model) as the model's next version.</summary>
    public static Task<int> PublishAsync(ModelStore store, string model, string runId, DateTimeOffset? created = null) =>
        store.PublishAsync(model, runId, BinaryData.FromString("zip"), v => For(model, v, runId, created), CancellationToken.None);

    /// <summary>What a publish leaves when its process dies between writing model.zip and the manifest.</summary>
    public static async Task WriteIncompleteAsync(BlobServiceClient blobs, string model, int version, string runId)
    {
        var container = blobs.GetBlobContainerClient(BlobContainers.Models);
        await container.CreateIfNotExistsAsync();
        await container.GetBlobClient(ModelStore.ModelPath(model, version).Name).UploadAsync(
            BinaryData.FromString("zip"), new BlobUploadOptions { Metadata = new Dictionary<string, string> { ["runid"] = runId } });
    }
}
