using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using ServerlessML.Data;
using ServerlessML.ML;
using ServerlessML.Storage;
using ServerlessML.Training;

namespace ServerlessML.Tests.Infrastructure;

/// <summary>The real training orchestration and activities on the in-process Durable Task backend, against Azurite.</summary>
internal sealed class WorkflowHost : IAsyncDisposable
{
    private readonly DurableTaskTestHost _host;

    private WorkflowHost(DurableTaskTestHost host) => _host = host;

    public DurableTaskClient Client => _host.Client;

    public IServiceProvider Services => _host.Services;

    public T Get<T>()
        where T : notnull => _host.Services.GetRequiredService<T>();

    /// <param name="settings">Settings over the test defaults (<see cref="AppServices.Configuration"/>).</param>
    /// <param name="configure">Registrations over the app's, such as a blob client of the test's own.</param>
    public static async Task<WorkflowHost> StartAsync(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var host = await DurableTaskTestHost.StartAsync(
            tasks => tasks.AddTrainingWorkflow(),
            new DurableTaskTestHostOptions
            {
                Port = Azurite.FreePort(),
                ConfigureServices = services =>
                {
                    AppServices.Add(services, settings);
                    configure?.Invoke(services);
                },
            });
        return new WorkflowHost(host);
    }

    /// <summary>Parses and stages a CSV the way the train function does, then runs the orchestration on it to the end.</summary>
    /// <param name="options">Changes to the request the test needs, such as folds or a sweep.</param>
    public async Task<OrchestrationMetadata> TrainAsync(
        string model, string csv, string? label = null, IReadOnlyDictionary<string, ColumnKind>? kinds = null, Func<TrainingRequest, TrainingRequest>? options = null)
    {
        var bytes = SyntheticData.Bytes(csv);
        var dataset = CsvTableReader.Read(bytes, new DatasetReadOptions { Label = label, Kinds = kinds });
        return await RunStagedAsync(model, dataset, DatasetStore.Sha256(bytes), options);
    }

    /// <summary>Parses and stages data in any format the way the train function does, then runs the orchestration on it to the end.</summary>
    public async Task<OrchestrationMetadata> TrainAsync(string model, byte[] data, DatasetFormat format, string label, IReadOnlyDictionary<string, ColumnKind>? kinds = null)
    {
        var read = new DatasetReadOptions { Label = label, Kinds = kinds };
        var dataset = format == DatasetFormat.Parquet
            ? await ParquetTableReader.ReadAsync(new MemoryStream(data, writable: false), read, CancellationToken.None)
            : CsvTableReader.Read(data, read);
        return await RunStagedAsync(model, dataset, DatasetStore.Sha256(data), options: null);
    }

    /// <summary>
    /// Puts a file where a run's data goes as it is, unparsed, the way a run started by a version before data was staged
    /// typed found it, and runs the orchestration on it to the end: the run parses and checks it itself, as it does a
    /// named dataset.
    /// </summary>
    public async Task<OrchestrationMetadata> TrainUnparsedAsync(string model, byte[] data, DatasetFormat format, string label, IReadOnlyDictionary<string, ColumnKind>? kinds = null)
    {
        var runId = Guid.NewGuid().ToString("N");
        var staged = DatasetStore.StagedPath(model, runId, format);
        await Get<BlobContainers>().GetAsync(staged.Container, CancellationToken.None);
        await Get<Azure.Storage.Blobs.BlobServiceClient>().GetBlobContainerClient(staged.Container).UploadBlobAsync(staged.Name, BinaryData.FromBytes(data));
        return await RunAsync(runId, new TrainingRequest(model, staged.ToString(), label, kinds, 0.2, 42, new TrainerOptions()));
    }

    private async Task<OrchestrationMetadata> RunStagedAsync(string model, Dataset dataset, string sha256, Func<TrainingRequest, TrainingRequest>? options)
    {
        var runId = Guid.NewGuid().ToString("N");
        var staged = await Get<DatasetStore>().StageAsync(model, runId, dataset, sha256, CancellationToken.None);
        var request = new TrainingRequest(model, staged.ToString(), dataset.Label, null, 0.2, 42, new TrainerOptions(), Staged: true);
        return await RunAsync(runId, options?.Invoke(request) ?? request);
    }

    private async Task<OrchestrationMetadata> RunAsync(string runId, TrainingRequest request)
    {
        await Client.ScheduleNewOrchestrationInstanceAsync(nameof(TrainingOrchestration), request, new StartOrchestrationOptions(runId));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        return await Client.WaitForInstanceCompletionAsync(runId, getInputsAndOutputs: true, cancel.Token);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
