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
}
