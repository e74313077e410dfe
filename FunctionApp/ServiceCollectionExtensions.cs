using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessML.Health;
using ServerlessML.Housekeeping;
using ServerlessML.Http;
using ServerlessML.Registry;
using ServerlessML.Serving;
using ServerlessML.Storage;
using ServerlessML.Training;

namespace ServerlessML;

public static class ServiceCollectionExtensions
{
    /// <summary>Everything the functions need, for any host: options, storage, training and serving services.</summary>
    public static IServiceCollection AddServerlessML(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.Section)
            .PostConfigure<IConfiguration>(UseFunctionsStorageByDefault)
            .Validate(
                o => !string.IsNullOrWhiteSpace(o.ConnectionString) || o.ServiceUri is not null,
                "No blob storage is configured. Set Storage__ConnectionString, Storage__ServiceUri or AzureWebJobsStorage " +
                "(UseDevelopmentStorage=true for Azurite).")
            .ValidateOnStart();
        services.AddOptions<TrainingOptions>().BindConfiguration(TrainingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ServingOptions>().BindConfiguration(ServingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<HousekeepingOptions>().BindConfiguration(HousekeepingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(o => ServerlessJson.Configure(o.JsonSerializerOptions));

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => CreateBlobServiceClient(sp.GetRequiredService<IOptions<StorageOptions>>().Value, new BlobClientOptions()));
        services.AddSingleton<BlobContainers>();
        services.AddSingleton<DatasetStore>();
        services.AddSingleton<TrainingRunStore>();
        services.AddSingleton<PreparedDataCache>();
        services.AddSingleton<ModelStore>();
        services.AddKeyedSingleton(ModelCache.StoreKey, (sp, _) => new ModelStore(
            new BlobContainers(CreateBlobServiceClient(sp.GetRequiredService<IOptions<StorageOptions>>().Value, ModelCache.ClientOptions())),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ModelStore>>()));
        services.AddSingleton<ModelRegistry>();
        services.AddSingleton<ModelCache>();
        services.AddSingleton<PredictionService>();
        services.AddSingleton<TrainRequestReader>();
        services.AddSingleton<TrainingStarter>();
        services.AddSingleton<Callers>();
        services.AddSingleton<ExceptionProblems>();
        services.AddSingleton<RunSweeper>();
        services.AddSingleton<HealthChecks>();
        services.TryAddSingleton<IDurableManagementLinks, FunctionsHostManagementLinks>();
        return services;
    }

    // The Functions host always has AzureWebJobsStorage (a connection string, or __blobServiceUri for a managed
    // identity); models live there unless the Storage section says otherwise.
    private static void UseFunctionsStorageByDefault(StorageOptions options, IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(options.ConnectionString) || options.ServiceUri is not null)
        {
            return;
        }

        var connection = configuration.GetSection("AzureWebJobsStorage");
        if (!string.IsNullOrWhiteSpace(connection.Value))
        {
            options.ConnectionString = connection.Value;
        }
        else if (Uri.TryCreate(connection["blobServiceUri"], UriKind.Absolute, out var uri))
        {
            options.ServiceUri = uri;
        }
        else if (connection["accountName"] is { Length: > 0 } account)
        {
            options.ServiceUri = new Uri($"https://{account}.blob.core.windows.net");
        }
    }

    private static BlobServiceClient CreateBlobServiceClient(StorageOptions options, BlobClientOptions clientOptions) =>
        !string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new BlobServiceClient(options.ConnectionString, clientOptions)
            : new BlobServiceClient(options.ServiceUri, new DefaultAzureCredential(), clientOptions);
}
