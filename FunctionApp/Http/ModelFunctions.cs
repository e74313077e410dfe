using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Net.Http.Headers;
using ServerlessML.Registry;
using ServerlessML.Storage;

namespace ServerlessML.Http;

/// <summary><c>/api/models</c>: the registry of published versions, their manifests and files, and their aliases.</summary>
/// <remarks>A version in a route is read by the function, not constrained by the route: <c>versions/abc</c> is then this
/// function's 400 rather than a route that matches nothing, which the Functions host answers with an empty 404.</remarks>
public sealed class ModelFunctions(ModelRegistry registry, Callers callers)
{
    [Function("ListModels")]
    public async Task<IActionResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/models")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        QueryOptions.Check(request);
        return new OkObjectResult(new { models = await registry.ListAsync(cancellationToken) });
    }

    [Function("GetModel")]
    public async Task<IActionResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/models/{name}")] HttpRequest request,
        string name,
        CancellationToken cancellationToken)
    {
        QueryOptions.Check(request);
        return new OkObjectResult(await registry.GetAsync(ResourceName.Check(name, "model"), cancellationToken));
    }

    [Function("GetModelVersion")]
    public async Task<IActionResult> GetVersionAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/models/{name}/versions/{version}")] HttpRequest request,
        string name,
        string version,
        CancellationToken cancellationToken)
    {
        QueryOptions.Check(request);
        var (model, number) = Version(name, version);
        return new OkObjectResult(await registry.GetVersionAsync(model, number, cancellationToken));
    }

    [Function("DownloadModel")]
    public async Task<IActionResult> DownloadAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/models/{name}/versions/{version}/model.zip")] HttpRequest request,
        string name,
        string version,
        CancellationToken cancellationToken)
    {
        QueryOptions.Check(request);
        var (model, number) = Version(name, version);
        return new FileStreamResult(await registry.OpenModelAsync(model, number, cancellationToken), "application/zip")
        {
            FileDownloadName = $"{model}-v{number}.zip",
        };
    }

    /// <summary>The version as an ONNX graph: one input per feature under its own name, shaped [N, 1] (float, or string
    /// for a category), and the prediction as <c>Score.output</c>. 409 when the model has a part ONNX cannot express.</summary>
    [Function("ExportOnnx")]
    public async Task<IActionResult> ExportOnnxAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/models/{name}/versions/{version}/model.onnx")] HttpRequest request,
        string name,
        string version,
        CancellationToken cancellationToken)
    {
        QueryOptions.Check(request);
        var (model, number) = Version(name, version);
        return new FileContentResult(await registry.ExportOnnxAsync(model, number, cancellationToken), "application/octet-stream")
        {
            FileDownloadName = $"{model}-v{number}.onnx",
        };
    }

    /// <summary>A sample of at most 2,000 of the version's test rows, actual and predicted: what its plots are drawn from.</summary>
    [Function("GetTestPredictions")]
    public async Task<IActionResult> GetTestPredictionsAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/models/{name}/versions/{version}/test-predictions")] HttpRequest request,
        string name,
        string version,
        CancellationToken cancellationToken)
    {
        QueryOptions.Check(request);
        var (model, number) = Version(name, version);
        return new ContentResult
        {
            Content = (await registry.GetTestPredictionsAsync(model, number, cancellationToken)).ToString(),
            ContentType = "application/json; charset=utf-8",
        };
    }

    [Function("DeleteModelVersion")]
    public async Task<IActionResult> DeleteVersionAsync(
        [HttpTrigger(AuthorizationLevel.Admin, "delete", Route = "api/models/{name}/versions/{version}")] HttpRequest request,
        string name,
        string version,
        CancellationToken cancellationToken)
    {
        QueryOptions.Check(request);
        var (model, number) = Version(name, version);
        await registry.DeleteVersionAsync(model, number, callers.Name(request), cancellationToken);
        return new NoContentResult();
    }

    [Function("GetAlias")]
    public async Task<IActionResult> GetAliasAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/models/{name}/aliases/{alias}")] HttpRequest request,
        string name,
        string alias,
        CancellationToken cancellationToken)
    {
        QueryOptions.Check(request);
        return Alias(name, alias, await registry.GetAliasAsync(ResourceName.Check(name, "model"), ResourceName.Check(alias, "alias"), cancellationToken));
    }

    /// <summary>Moves an alias (promotion, rollback). Send <c>If-Match</c> with the ETag from a GET to be told (412)
    /// when someone else moved it in between.</summary>
    [Function("SetAlias")]
    public async Task<IActionResult> SetAliasAsync(
        [HttpTrigger(AuthorizationLevel.Admin, "put", Route = "api/models/{name}/aliases/{alias}")] HttpRequest request,
        string name,
        string alias,
        CancellationToken cancellationToken)
    {
        QueryOptions.Check(request);
        ResourceName.Check(name, "model");
        ResourceName.Check(alias, "alias");
        var ifMatch = IfMatch(request);
        var version = await ReadVersionAsync(request, cancellationToken);
        var state = await registry.SetAliasAsync(name, alias, version, ifMatch, callers.Name(request), cancellationToken);
        return Alias(name, alias, state);
    }

    private static HeaderResult Alias(string model, string alias, AliasState state) =>
        new HeaderResult(new OkObjectResult(new AliasView(model, alias, state.Version!.Value)), HeaderNames.ETag, state.ETag!.Value.ToString("H"));

    // Version numbers start at 1; a number that is too large for one, or 0, names no version rather than a bad request.
    private static (string Model, int Version) Version(string name, string version)
    {
        ResourceName.Check(name, "model");
        if (version.Length == 0 || !version.All(char.IsAsciiDigit))
        {
            throw new InvalidRequestException($"'{version}' is not a version number: versions are whole numbers from 1, as in /api/models/{name}/versions/3.");
        }

        return int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? (name, number)
            : throw new NotFoundException($"Model '{name}' has no version {version}.");
    }

    // One entity tag as a GET of the alias gave it, quotes included, or *; anything else cannot be compared.
    private static string? IfMatch(HttpRequest request)
    {
        if (request.Headers.IfMatch is not { Count: > 0 } header)
        {
            return null;
        }

        var value = header.ToString().Trim();
        return value == "*" || (EntityTagHeaderValue.TryParseStrictList([value], out var tags) && tags.Count == 1)
            ? value
            : throw new InvalidRequestException(
                $"If-Match must be the ETag a GET of the alias answered, in its quotes (If-Match: \"0x8DC…\"), or *; got '{value}'.");
    }

    private static async Task<int> ReadVersionAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var mediaType = RequestBody.MediaType(request);
        if (!RequestBody.IsJson(mediaType))
        {
            throw RequestBody.UnsupportedMediaType(mediaType, "application/json: {\"version\": 3}");
        }

        RequestBody.CheckJsonCharset(request);
        using var json = JsonBody.Parse(await RequestBody.ReadAsync(request, 64 * 1024, setting: null, cancellationToken));
        var root = json.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidRequestException($"The body must be an object, {{\"version\": 3}}; got {Describe(root)}.");
        }

        JsonElement? version = null;
        foreach (var property in root.EnumerateObject())
        {
            if (property.Name != "version")
            {
                throw new InvalidRequestException($"The body has '{property.Name}', which is not understood; it takes only 'version', as in {{\"version\": 3}}.");
            }

            version = version is null ? property.Value : throw new InvalidRequestException("The body has 'version' more than once; give it once.");
        }

        return version switch
        {
            null => throw new InvalidRequestException("The body has no 'version'. Send the version to point at, as in {\"version\": 3}."),
            { ValueKind: JsonValueKind.Number } v when v.TryGetInt32(out var number) && number > 0 => number,
            { ValueKind: JsonValueKind.String } v when int.TryParse(v.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) =>
                throw new InvalidRequestException($"'version' must be a number, not the string {v.GetRawText()}: send {{\"version\": {number}}}."),
            { } v => throw new InvalidRequestException($"'version' must be a version number from 1, as in {{\"version\": 3}}; got {Describe(v)}."),
        };
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => $"the array {Shorten(value.GetRawText())}",
        _ => Shorten(value.GetRawText()),
    };

    private static string Shorten(string text) => text.Length > 40 ? $"{text[..40]}…" : text;
}
