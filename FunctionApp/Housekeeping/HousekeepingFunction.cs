using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace ServerlessML.Housekeeping;

/// <summary>Every hour: removes what ended runs left behind and purges old durable history (see <see cref="RunSweeper"/>).</summary>
public sealed class HousekeepingFunction(RunSweeper sweeper)
{
    /// <summary>At minute 17 of every hour (six fields: seconds first, as the Functions host reads them).</summary>
    public const string Schedule = "0 17 * * * *";

    [Function("Housekeeping")]
    public async Task RunAsync([TimerTrigger(Schedule)] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        await sweeper.SweepAsync(client, cancellationToken);
}
