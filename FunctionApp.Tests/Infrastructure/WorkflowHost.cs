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

    /// <summary>Stages a CSV the way the train function does, then runs the orchestration on it to the end.</summary>
    /// <param name="options">Changes to the request the test needs, such as folds or a sweep.</param>
    public async Task<OrchestrationMetadata> TrainAsync(
        string model, string csv, string? label = null, IReadOnlyDictionary<string, ColumnKind>? kinds = null, Func<TrainingRequest, TrainingRequest>? options = null)
    {
        var runId = Guid.NewGuid().ToString("N");
        var staged = await Get<DatasetStore>().StageAsync(model, runId, SyntheticData.Bytes(csv), CancellationToken.None);
        var request = new TrainingRequest(model, staged.ToString(), label ?? csv[..csv.IndexOf('\n', StringComparison.Ordinal)].Split(',')[^1], kinds, 0.2, 42, new TrainerOptions());
        request = options?.Invoke(request) ?? request;
        await Client.ScheduleNewOrchestrationInstanceAsync(nameof(TrainingOrchestration), request, new StartOrchestrationOptions(runId));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        return await Client.WaitForInstanceCompletionAsync(runId, getInputsAndOutputs: true, cancel.Token);
    }

    /// <summary>Stages data in any format the way the train function does, then runs the orchestration on it to the end.</summary>
    public async Task<OrchestrationMetadata> TrainAsync(string model, byte[] data, DatasetFormat format, string label, IReadOnlyDictionary<string, ColumnKind>? kinds = null)
    {
        var runId = Guid.NewGuid().ToString("N");
        var staged = await Get<DatasetStore>().StageAsync(model, runId, data, CancellationToken.None, format);
        var request = new TrainingRequest(model, staged.ToString(), label, kinds, 0.2, 42, new TrainerOptions());
        await Client.ScheduleNewOrchestrationInstanceAsync(nameof(TrainingOrchestration), request, new StartOrchestrationOptions(runId));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        return await Client.WaitForInstanceCompletionAsync(runId, getInputsAndOutputs: true, cancel.Token);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
