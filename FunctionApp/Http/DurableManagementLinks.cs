using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace ServerlessML.Http;

/// <summary>The durable HTTP management links for one instance, as the Functions host returns them.</summary>
public sealed record DurableManagementLinks(
    string Id,
    string StatusQueryGetUri,
    string SendEventPostUri,
    string TerminatePostUri,
    string PurgeHistoryDeleteUri,
    string? RestartPostUri,
    string? SuspendPostUri,
    string? ResumePostUri);

/// <summary>
/// Builds the management links for a started orchestration. The seam exists because only the Functions host's
/// durable client knows the webhook base URL and system key; another host builds the same links its own way.
/// </summary>
public interface IDurableManagementLinks
{
    DurableManagementLinks Create(DurableTaskClient client, HttpRequest request, string instanceId);
}

/// <summary>The Functions host's links, from the <c>[DurableClient]</c> binding (which carries base URL and key).</summary>
public sealed class FunctionsHostManagementLinks : IDurableManagementLinks
{
    public DurableManagementLinks Create(DurableTaskClient client, HttpRequest request, string instanceId)
    {
        var payload = client.CreateHttpManagementPayload(instanceId);
        return new DurableManagementLinks(
            payload.Id ?? instanceId,
            Required(payload.StatusQueryGetUri),
            Required(payload.SendEventPostUri),
            Required(payload.TerminatePostUri),
            Required(payload.PurgeHistoryDeleteUri),
            payload.RestartPostUri,
            payload.SuspendPostUri,
            payload.ResumePostUri);
    }

    private static string Required(string? uri) =>
        uri ?? throw new InvalidOperationException("The durable client gave no management URL; is the app running under the Functions host?");
}
