using System.Diagnostics;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessML.ML;
using ServerlessML.Training;

namespace ServerlessML.Bench;

/// <summary>
/// The training orchestration and its activities on the Durable Task SDK's in-memory backend, in this process, on
/// the same Azurite: what the run costs without a durable store, to set the Azure Storage backend's cost against.
/// </summary>
internal static class InMemoryWorkflow
{
    public static async Task<List<double>> MeasureAsync(string connectionString, string datasetBlob, int runs)
    {
        await using var host = await DurableTaskTestHost.StartAsync(
            tasks => tasks.AddTrainingWorkflow(),
            new DurableTaskTestHostOptions
            {
                Port = ChildProcess.FreePort(),
                ConfigureServices = services =>
                {
                    services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
                        .AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:ConnectionString"] = connectionString })
                        .Build());
                    services.AddLogging();
                    services.AddServerlessML();
                    services.Configure<DurableTaskClientOptions>(o => o.DataConverter = ServerlessJson.DataConverter);
                    services.Configure<DurableTaskWorkerOptions>(o => o.DataConverter = ServerlessJson.DataConverter);
                },
            });

        var times = new List<double>();
        for (var run = 0; run <= runs; run++)
        {
            var clock = Stopwatch.StartNew();
            var request = new TrainingRequest($"memory-{run}", datasetBlob, "y", null, 0.2, 42, new TrainerOptions());
            var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(TrainingOrchestration), request);
            OrchestrationMetadata? instance;
            while ((instance = await host.Client.GetInstanceAsync(id)) is not { IsCompleted: true })
            {
                await Task.Delay(20);
            }

            if (instance.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
            {
                throw new InvalidOperationException($"The in-memory run ended {instance.RuntimeStatus}: {instance.FailureDetails?.ErrorMessage}");
            }

            if (run > 0)
            {
                times.Add(clock.Elapsed.TotalSeconds);
            }
        }

        return times;
    }
}
