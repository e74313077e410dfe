using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Net.Http.Headers;
using ServerlessML.Registry;
using ServerlessML.Storage;

namespace ServerlessML.Http;

/// <summary><c>/api/models</c>: the registry of published versions, their manifests and files, and their aliases.</summary>
public sealed class ModelFunctions(ModelRegistry registry, Callers callers)
{
    [Function("ListModels")]
    public async Task<IActionResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "models")] HttpRequest request,
        CancellationToken cancellationToken) =>
        new OkObjectResult(new { models = await registry.ListAsync(cancellationToken) });

    [Function("GetModel")]
    public async Task<IActionResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "models/{name}")] HttpRequest request,
        string name,
        CancellationToken cancellationToken) =>
        await Problems.HandleAsync(async () => new OkObjectResult(await registry.GetAsync(ResourceName.Check(name, "model"), cancellationToken)));

    [Function("GetModelVersion")]
    public async Task<IActionResult> GetVersionAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "models/{name}/versions/{version:int}")] HttpRequest request,
        string name,
        int version,
        CancellationToken cancellationToken) =>
        await Problems.HandleAsync(async () => new OkObjectResult(await registry.GetVersionAsync(ResourceName.Check(name, "model"), version, cancellationToken)));

    [Function("DownloadModel")]
    public async Task<IActionResult> DownloadAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "models/{name}/versions/{version:int}/model.zip")] HttpRequest request,
        string name,
        int version,
        CancellationToken cancellationToken) =>
        await Problems.HandleAsync(async () =>
            new FileStreamResult(await registry.OpenModelAsync(ResourceName.Check(name, "model"), version, cancellationToken), "application/zip")
            {
                FileDownloadName = $"{name}-v{version}.zip",
            });

    [Function("DeleteModelVersion")]
    public async Task<IActionResult> DeleteVersionAsync(
        [HttpTrigger(AuthorizationLevel.Admin, "delete", Route = "models/{name}/versions/{version:int}")] HttpRequest request,
        string name,
        int version,
        CancellationToken cancellationToken) =>
        await Problems.HandleAsync(async () =>
        {
            await registry.DeleteVersionAsync(ResourceName.Check(name, "model"), version, callers.Name(request), cancellationToken);
            return new NoContentResult();
        });

    [Function("GetAlias")]
    public async Task<IActionResult> GetAliasAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "models/{name}/aliases/{alias}")] HttpRequest request,
        string name,
        string alias,
        CancellationToken cancellationToken) =>
        await Problems.HandleAsync(async () =>
            Alias(name, alias, await registry.GetAliasAsync(ResourceName.Check(name, "model"), ResourceName.Check(alias, "alias"), cancellationToken)));

    /// <summary>Moves an alias (promotion, rollback). Send <c>If-Match</c> with the ETag from a GET to be told (412)
    /// when someone else moved it in between.</summary>
    [Function("SetAlias")]
    public async Task<IActionResult> SetAliasAsync(
        [HttpTrigger(AuthorizationLevel.Admin, "put", Route = "models/{name}/aliases/{alias}")] HttpRequest request,
        string name,
        string alias,
        CancellationToken cancellationToken) =>
        await Problems.HandleAsync(async () =>
        {
            ResourceName.Check(name, "model");
            ResourceName.Check(alias, "alias");
            var version = await ReadVersionAsync(request, cancellationToken);
            var ifMatch = request.Headers.IfMatch is { Count: > 0 } header ? header.ToString() : null;
            var state = await registry.SetAliasAsync(name, alias, version, ifMatch, callers.Name(request), cancellationToken);
            return Alias(name, alias, state);
        });

    private static HeaderResult Alias(string model, string alias, AliasState state) =>
        new HeaderResult(new OkObjectResult(new AliasView(model, alias, state.Version!.Value)), HeaderNames.ETag, state.ETag!.Value.ToString("H"));

    private static async Task<int> ReadVersionAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!RequestBody.IsJson(RequestBody.MediaType(request)))
        {
            throw RequestBody.UnsupportedMediaType(RequestBody.MediaType(request), "application/json: {\"version\": 3}");
        }

        using var json = JsonBody.Parse(await RequestBody.ReadAsync(request, 64 * 1024, cancellationToken));
        return json.RootElement.ValueKind == JsonValueKind.Object
            && json.RootElement.TryGetProperty("version", out var version)
            && version.TryGetInt32(out var number) && number > 0
            ? number
            : throw new InvalidRequestException("Send the version to point at as {\"version\": 3}.");
    }
}
