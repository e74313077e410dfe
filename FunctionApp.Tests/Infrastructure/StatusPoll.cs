using System.Net;
using System.Text.Json;

namespace ServerlessML.Tests.Infrastructure;

/// <summary>One answer of the durable status endpoint, as a client sees it.</summary>
internal sealed record StatusPoll(HttpStatusCode Status, Uri? Location, string? RetryAfter, JsonElement Body)
{
    public string RuntimeStatus => Body.GetProperty("runtimeStatus").GetString()!;

    public static async Task<StatusPoll> GetAsync(HttpClient client, Uri statusUri)
    {
        using var response = await client.GetAsync(statusUri);
        var body = await response.Content.ReadAsStringAsync();
        return new StatusPoll(
            response.StatusCode,
            response.Headers.Location,
            response.Headers.TryGetValues("Retry-After", out var retry) ? retry.Single() : null,
            body.Length == 0 ? default : JsonDocument.Parse(body).RootElement);
    }

    /// <summary>
    /// Polls until the instance is in one of <paramref name="statuses"/>, returning every answer on the way. Polls
    /// every 100 ms rather than the advised Retry-After, so that the tests stay fast.
    /// </summary>
    public static async Task<IReadOnlyList<StatusPoll>> UntilAsync(HttpClient client, Uri statusUri, params string[] statuses)
    {
        var polls = new List<StatusPoll>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            var poll = await GetAsync(client, statusUri);
            polls.Add(poll);
            if (poll.Status == HttpStatusCode.NotFound || statuses.Contains(poll.RuntimeStatus))
            {
                return polls;
            }

            await Task.Delay(100, timeout.Token);
        }
    }
}
