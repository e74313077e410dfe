using Azure;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using ServerlessML.Data;
using ServerlessML.Storage;
using ServerlessML.Tests.Infrastructure;

namespace ServerlessML.Tests.Storage;

public sealed class DatasetStoreTests
{
    [Test]
    public async Task OpenRead_BlobGone_SaysTheDatasetWasDeleted()
    {
        await using var services = AppServices.Build();
        var path = new BlobPath(BlobContainers.Datasets, $"{ModelNames.Unique("gone")}/{Guid.NewGuid():N}.csv");

        var failure = Assert.ThrowsAsync<InvalidDatasetException>(() => services.GetRequiredService<DatasetStore>().OpenReadAsync(path, CancellationToken.None));

        Assert.That(failure!.Message, Does.Contain("was deleted after the run started"));
    }

    [Test]
    public async Task OpenRead_ContainerGone_IsNotTakenForADeletedDataset()
    {
        // A container of the test's own, known to the store and then deleted under it: a 404 that says nothing about
        // the dataset itself.
        await using var services = AppServices.Build();
        var container = $"gone-{Guid.NewGuid():N}";
        var path = new BlobPath(container, "houses.csv");
        var store = services.GetRequiredService<DatasetStore>();
        await services.GetRequiredService<BlobContainers>().GetAsync(container, CancellationToken.None);
        await services.GetRequiredService<BlobServiceClient>().DeleteBlobContainerAsync(container);

        var failure = Assert.ThrowsAsync<RequestFailedException>(() => store.OpenReadAsync(path, CancellationToken.None));

        Assert.That(failure!.ErrorCode, Is.EqualTo("ContainerNotFound"));
    }

    [Test]
    public async Task Upload_NoBytesInEitherFormat_IsRefusedInTheDatasetsTermsAndStoresNothing()
    {
        // A body sent without a length reaches the store before anyone knows it is empty: the store says so about the
        // data, not about an HTTP request (the HTTP function refuses a zero Content-Length itself).
        await using var services = AppServices.Build();
        var store = services.GetRequiredService<DatasetStore>();
        var name = ModelNames.Unique("empty");

        var csv = Assert.ThrowsAsync<InvalidDatasetException>(() => store.UploadAsync(name, new MemoryStream(), CancellationToken.None));
        var parquet = Assert.ThrowsAsync<InvalidDatasetException>(() => store.UploadParquetAsync(name, new MemoryStream(), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(csv!.Message, Is.EqualTo("The dataset is empty: it has no bytes."));
            Assert.That(parquet!.Message, Is.EqualTo("The dataset is empty: it has no bytes."));
        });
        Assert.That(await store.GetAsync(name, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Upload_NameClaimedByAnUploadInProgress_IsRefusedAsAConflict()
    {
        await using var services = AppServices.Build();
        var name = ModelNames.Unique("claimed");
        var claim = services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(BlobContainers.Datasets).GetBlobClient($"{name}.claim");
        await services.GetRequiredService<BlobContainers>().GetAsync(BlobContainers.Datasets, CancellationToken.None);
        await claim.UploadAsync(BinaryData.Empty);

        var failure = Assert.ThrowsAsync<ConflictException>(() => services.GetRequiredService<DatasetStore>().UploadAsync(name, new MemoryStream(SyntheticData.Bytes(SyntheticData.Csv(20))), CancellationToken.None));

        Assert.That(failure!.Message, Does.StartWith($"Dataset '{name}' is being uploaded by another request right now."));
        Assert.That((await claim.ExistsAsync()).Value, Is.True, "another upload's claim is left alone");
    }

    [Test]
    public async Task Upload_NameClaimedByAnUploadThatDied_TakesTheClaimOverAndStoresIt()
    {
        var clock = new ManualClock();
        var collection = AppServices.Add(new ServiceCollection());
        collection.AddSingleton<TimeProvider>(clock);
        await using var services = collection.BuildServiceProvider();
        var name = ModelNames.Unique("stale");
        var claim = services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(BlobContainers.Datasets).GetBlobClient($"{name}.claim");
        await services.GetRequiredService<BlobContainers>().GetAsync(BlobContainers.Datasets, CancellationToken.None);
        await claim.UploadAsync(BinaryData.Empty);
        clock.Advance(TimeSpan.FromMinutes(11));

        var summary = await services.GetRequiredService<DatasetStore>().UploadAsync(name, new MemoryStream(SyntheticData.Bytes(SyntheticData.Csv(20))), CancellationToken.None);

        Assert.That(summary.Rows, Is.EqualTo(20));
        Assert.That((await claim.ExistsAsync()).Value, Is.False);
    }
}
