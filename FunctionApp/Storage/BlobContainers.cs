using System.Collections.Concurrent;
using Azure.Storage.Blobs;

namespace ServerlessML.Storage;

/// <summary>The app's blob containers, each created on first use (once per process).</summary>
public sealed class BlobContainers(BlobServiceClient service)
{
    public const string Datasets = "datasets";
    public const string Models = "models";
    public const string Training = "training";

    private readonly ConcurrentDictionary<string, Lazy<Task<BlobContainerClient>>> _containers = new(StringComparer.Ordinal);

    public async Task<BlobContainerClient> GetAsync(string name, CancellationToken cancellationToken)
    {
        var lazy = _containers.GetOrAdd(name, n => new Lazy<Task<BlobContainerClient>>(() => CreateAsync(n)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch when (lazy.Value.IsFaulted)
        {
            // Let the next caller try again rather than caching a transient failure forever.
            _containers.TryRemove(new KeyValuePair<string, Lazy<Task<BlobContainerClient>>>(name, lazy));
            throw;
        }
    }

    public async Task<BlobClient> GetBlobAsync(BlobPath path, CancellationToken cancellationToken) =>
        (await GetAsync(path.Container, cancellationToken)).GetBlobClient(path.Name);

    private async Task<BlobContainerClient> CreateAsync(string name)
    {
        var container = service.GetBlobContainerClient(name);
        await container.CreateIfNotExistsAsync();
        return container;
    }
}
