using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ServerlessML.Data;
using ServerlessML.Storage;
using ServerlessML.Training;

namespace ServerlessML.Http;

/// <summary><c>/api/datasets</c>: upload a CSV or Parquet file by name (streamed, never held in memory), list, show and delete datasets.</summary>
public sealed class DatasetFunctions(DatasetStore datasets, IOptions<TrainingOptions> options)
{
    [Function("PutDataset")]
    public async Task<IActionResult> PutAsync(
        [HttpTrigger(AuthorizationLevel.Admin, "put", Route = "api/datasets/{name}")] HttpRequest request,
        string name,
        CancellationToken cancellationToken)
    {
        QueryOptions.Check(request);
        ResourceName.Check(name, "dataset");
        RequestBody.CheckContentEncoding(request);
        var mediaType = RequestBody.MediaType(request);
        var isParquet = RequestBody.IsParquet(mediaType);
        if (!RequestBody.IsCsv(mediaType) && !isParquet)
        {
            throw RequestBody.UnsupportedMediaType(mediaType, $"text/csv with a header row, or {ParquetTableReader.MediaType}");
        }

        var encoding = isParquet ? null : RequestBody.CsvEncoding(request);
        const string setting = "Training__MaxDatasetBytes";
        var limit = options.Value.MaxDatasetBytes;
        if (request.ContentLength > limit)
        {
            throw LengthLimitedStream.TooLarge(limit, setting);
        }

        if (request.ContentLength == 0)
        {
            throw new InvalidRequestException($"The request body is empty; send the {(isParquet ? "Parquet file" : "CSV")} as the body.");
        }

        Stream body = new LengthLimitedStream(request.Body, limit, setting);
        if (isParquet)
        {
            return new CreatedResult($"{request.PathBase}{request.Path}", await datasets.UploadParquetAsync(name, body, cancellationToken));
        }

        // Stored as UTF-8 whatever it was sent in: training and its lineage read one encoding.
        await using var utf8 = encoding is null ? body : Encoding.CreateTranscodingStream(body, encoding, Encoding.UTF8);
        var summary = await datasets.UploadAsync(name, utf8, cancellationToken);
        return new CreatedResult($"{request.PathBase}{request.Path}", summary);
    }

    [Function("ListDatasets")]
    public async Task<IActionResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/datasets")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        QueryOptions.Check(request);
        return new OkObjectResult(new { datasets = await datasets.ListAsync(cancellationToken) });
    }

    [Function("GetDataset")]
    public async Task<IActionResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/datasets/{name}")] HttpRequest request,
        string name,
        CancellationToken cancellationToken)
    {
        QueryOptions.Check(request);
        return new OkObjectResult(await datasets.GetAsync(ResourceName.Check(name, "dataset"), cancellationToken) ?? throw NoDataset(name));
    }

    [Function("DeleteDataset")]
    public async Task<IActionResult> DeleteAsync(
        [HttpTrigger(AuthorizationLevel.Admin, "delete", Route = "api/datasets/{name}")] HttpRequest request,
        string name,
        CancellationToken cancellationToken)
    {
        QueryOptions.Check(request);
        return await datasets.DeleteAsync(ResourceName.Check(name, "dataset"), cancellationToken) ? new NoContentResult() : throw NoDataset(name);
    }

    private static NotFoundException NoDataset(string name) => new($"There is no dataset '{name}'.");
}
