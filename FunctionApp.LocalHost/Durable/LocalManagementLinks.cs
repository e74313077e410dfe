using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using ServerlessML.Http;
using ServerlessML.LocalHost.Security;

namespace ServerlessML.LocalHost.Durable;

/// <summary>
/// The management links of an instance in the Functions host's webhook layout, on the local host's public base URL,
/// carrying the durable task key as <c>code</c> when one is set, as the host's links carry its system key.
/// </summary>
public sealed class LocalManagementLinks(PublicBaseUrl baseUrl, IOptions<KeySettings> keys) : IDurableManagementLinks
{
    public DurableManagementLinks Create(DurableTaskClient client, HttpRequest request, string instanceId)
    {
        var instance = $"{baseUrl.For(request)}{DurableHttpApi.InstancesPath}/{Uri.EscapeDataString(instanceId)}";
        var code = keys.Value.DurableTask is { } key ? $"code={Uri.EscapeDataString(key)}" : null;
        var only = code is null ? "" : $"?{code}";
        var also = code is null ? "" : $"&{code}";
        return new DurableManagementLinks(
            instanceId,
            $"{instance}{only}",
            $"{instance}/raiseEvent/{{eventName}}{only}",
            $"{instance}/terminate?reason={{text}}{also}",
            $"{instance}{only}",
            $"{instance}/restart{only}",
            $"{instance}/suspend?reason={{text}}{also}",
            $"{instance}/resume?reason={{text}}{also}");
    }
}
