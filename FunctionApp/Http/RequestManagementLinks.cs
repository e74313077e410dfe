using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;

namespace ServerlessML.Http;

/// <summary>
/// Management links built from the incoming request's base URL, in the Functions host's webhook layout, for a host
/// whose durable client does not know its own base URL (the local host, tests).
/// </summary>
public sealed class RequestManagementLinks : IDurableManagementLinks
{
    public const string InstancesPath = "/runtime/webhooks/durabletask/instances";

    public DurableManagementLinks Create(DurableTaskClient client, HttpRequest request, string instanceId)
    {
        var instance = $"{request.Scheme}://{request.Host}{request.PathBase}{InstancesPath}/{Uri.EscapeDataString(instanceId)}";
        return new DurableManagementLinks(
            instanceId,
            instance,
            $"{instance}/raiseEvent/{{eventName}}",
            $"{instance}/terminate?reason={{text}}",
            instance,
            $"{instance}/restart",
            $"{instance}/suspend?reason={{text}}",
            $"{instance}/resume?reason={{text}}");
    }
}
