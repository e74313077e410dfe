using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using ServerlessML.Storage;
using ServerlessML.Tests.Infrastructure;

namespace ServerlessML.Tests.LocalHost;

/// <summary>
/// What durable workflows exist to survive, with the local host as real processes on one task hub in Azurite: a
/// process killed in the middle of an activity, two processes sharing the work, and a run terminated and purged while
/// its activity still runs. Recovery delays are shortened (10 s instead of 30 s) so the suite stays quick.
/// </summary>
public sealed class DurabilityTests
{
    private static readonly Dictionary<string, string?> s_quickRecovery = new()
    {
        ["AzureFunctionsJobHost__extensions__durableTask__storageProvider__workItemQueueVisibilityTimeout"] = "00:00:10",
        ["LocalHost__LeaseInterval"] = "00:00:10",
    };

    // Big enough that training takes seconds, so the kill lands in the middle of it.
    private static readonly Lazy<byte[]> s_large = new(() => Encoding.UTF8.GetBytes(SyntheticData.Csv(500_000, withCity: true)));

    [Test]
    public async Task KilledMidActivity_RestartedProcessResumesTheRun_PublishesOnceAndCleansUp()
    {
        var hub = TaskHubs.Unique();
        var model = ModelNames.Unique("crash");
        var first = await LocalHostProcess.StartAsync(hub, s_quickRecovery);
        Uri status;
        string runId;
        string outputAtKill;
        try
        {
            status = await StartTrainingAsync(first.Client, model, s_large.Value);
            runId = status.Segments[^1];
            await WaitForPhaseAsync(first.Client, status, "training");
            await first.KillAsync();
            outputAtKill = first.Output;
        }
        finally
        {
            await first.DisposeAsync();
        }

        await using var second = await LocalHostProcess.StartAsync(hub, s_quickRecovery);
        var clock = Stopwatch.StartNew();
        // The same status URL, on the port of the new process.
        var polls = await StatusPoll.UntilAsync(second.Client, new Uri(status.PathAndQuery, UriKind.Relative), "Completed", "Failed", "Terminated");
        var resumed = clock.Elapsed;

        var final = polls[^1];
        Assert.That(outputAtKill, Does.Not.Contain($"Trained run {runId}"), "the process was killed after training, not during it");
        Assert.That(final.RuntimeStatus, Is.EqualTo("Completed"), final.Body.ToString());
        Assert.That(final.Body.GetProperty("output").GetProperty("version").GetInt32(), Is.EqualTo(1));
        Assert.That(second.Output, Does.Contain($"Trained run {runId}"), "the new process ran the activity the killed one was in");
        Assert.That(await BlobNamesAsync(BlobContainers.Models, $"{model}/v"), Is.EqualTo(new[] { $"{model}/v1/manifest.json", $"{model}/v1/model.zip", $"{model}/v1/test-predictions.json" }));
        Assert.That(await BlobNamesAsync(BlobContainers.Training, $"{runId}/"), Is.Empty, "the run's working files were cleaned up");
        Assert.That(await BlobNamesAsync(BlobContainers.Datasets, $"{model}/"), Is.EqualTo(new[] { $"{model}/{runId}.parquet" }), "the published version's data stays");
        TestContext.Out.WriteLine($"Resumed and completed {resumed.TotalSeconds:F1} s after the restart");
    }

    [Test]
    public async Task TwoProcessesOnOneTaskHub_ShareTheRuns()
    {
        var hub = TaskHubs.Unique();
        await using var web = await LocalHostProcess.StartAsync(hub);
        await using var worker = await LocalHostProcess.StartWorkerAsync(hub);
        var data = Encoding.UTF8.GetBytes(SyntheticData.Csv(100_000, withCity: true));

        var runs = new List<Uri>();
        for (var i = 0; i < 6; i++)
        {
            runs.Add(await StartTrainingAsync(web.Client, ModelNames.Unique("shared"), data));
        }

        var finals = new List<StatusPoll>();
        foreach (var run in runs)
        {
            finals.Add((await StatusPoll.UntilAsync(web.Client, run, "Completed", "Failed", "Terminated"))[^1]);
        }

        Assert.That(finals.Select(f => f.RuntimeStatus), Has.All.EqualTo("Completed"));
        Assert.That(Activities(web.Output), Is.GreaterThan(0), "the process serving HTTP ran activities");
        Assert.That(Activities(worker.Output), Is.GreaterThan(0), "the worker process ran activities");
        Assert.That(Activities(web.Output) + Activities(worker.Output), Is.EqualTo(runs.Count * 3));
    }

    [Test]
    public async Task TerminatedAndPurgedWhileItsActivityRuns_TheProcessStaysQuietAndIdle()
    {
        await using var host = await LocalHostProcess.StartAsync(TaskHubs.Unique());
        var status = await StartTrainingAsync(host.Client, ModelNames.Unique("purged"), s_large.Value);
        var runId = status.Segments[^1];
        await WaitForPhaseAsync(host.Client, status, "training");

        using var terminate = await host.Client.PostAsync(status + "/terminate?reason=enough", null);
        await StatusPoll.UntilAsync(host.Client, status, "Terminated");
        using var purge = await host.Client.DeleteAsync(status);
        await host.WaitForOutputAsync($"Trained run {runId}", TimeSpan.FromMinutes(2));
        // The seconds right after a big activity carry its own aftermath (background GC, the JIT's tier-up of what it
        // ran): about 0.7 s of CPU. Measured from 5 s on, a quiet host uses about 0.3 s in 10 s; a retry loop far more.
        await Task.Delay(TimeSpan.FromSeconds(5));
        var (cpu, lines) = (host.CpuTime, host.Output.Split('\n').Length);
        await Task.Delay(TimeSpan.FromSeconds(10));
        var (cpuAfter, linesAfter) = (host.CpuTime, host.Output.Split('\n').Length);
        using var answer = await host.Client.GetAsync(status);

        Assert.That(terminate.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(purge.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(cpuAfter - cpu, Is.LessThan(TimeSpan.FromSeconds(2)), "CPU time used in 10 s once the orphaned activity finished");
        Assert.That(linesAfter - lines, Is.LessThan(20), "log lines written in 10 s once the orphaned activity finished");
        Assert.That(host.HasExited, Is.False);
    }

    private static async Task<Uri> StartTrainingAsync(HttpClient client, string model, byte[] csv)
    {
        using var content = new ByteArrayContent(csv);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        using var train = await client.PostAsync($"/api/train?model={model}", content);
        Assert.That(train.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await train.Content.ReadAsStringAsync());
        return train.Headers.Location!;
    }

    private static async Task WaitForPhaseAsync(HttpClient client, Uri status, string phase)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            var poll = await StatusPoll.GetAsync(client, status);
            if (poll.Body.ValueKind == JsonValueKind.Object
                && poll.Body.GetProperty("customStatus") is { ValueKind: JsonValueKind.Object } custom
                && custom.GetProperty("phase").GetString() == phase)
            {
                return;
            }

            Assert.That(poll.RuntimeStatus, Is.AnyOf("Pending", "Running"), $"the run ended before reaching {phase}");
            await Task.Delay(50, timeout.Token);
        }
    }

    // Each run prepares, trains and evaluates once; the log says which process did.
    private static int Activities(string output) =>
        output.Split('\n').Count(line => line.Contains("Prepared ", StringComparison.Ordinal) || line.Contains("Trained run", StringComparison.Ordinal) || line.Contains("Evaluated ", StringComparison.Ordinal));

    private static async Task<string[]> BlobNamesAsync(string container, string prefix)
    {
        var client = new BlobServiceClient(TestEnvironment.Azurite.ConnectionString).GetBlobContainerClient(container);
        var names = new List<string>();
        await foreach (var blob in client.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, prefix, CancellationToken.None))
        {
            names.Add(blob.Name);
        }

        return [.. names.Order(StringComparer.Ordinal)];
    }
}
