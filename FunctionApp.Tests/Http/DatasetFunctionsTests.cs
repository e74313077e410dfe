using System.Text;
using ServerlessML.Http;
using ServerlessML.Storage;
using ServerlessML.Tests.Infrastructure;

namespace ServerlessML.Tests.Http;

public sealed class DatasetFunctionsTests
{
    private WorkflowHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _host = await WorkflowHost.StartAsync(new Dictionary<string, string?> { ["Training:MaxDatasetBytes"] = "20000000" });

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public async Task Put_MultiMegabyteCsv_StreamsItAndAnswersItsSummary()
    {
        var name = ModelNames.Unique("upload");
        var csv = SyntheticData.Bytes(SyntheticData.Csv(150_000, withCity: true, missingRate: 0.01));

        var put = await PutAsync(name, new TrickleStream(csv), "text/csv");
        var get = await CallAsync(HttpExchange.Get($"/api/datasets/{name}"), (f, r) => f.GetAsync(r, name, CancellationToken.None));

        Assert.That(csv, Has.Length.GreaterThan(8 * 1024 * 1024), "more than two upload blocks");
        Assert.That(put.Status, Is.EqualTo(201), put.Body);
        Assert.That(put.Headers.Location.ToString(), Is.EqualTo($"/api/datasets/{name}"));
        Assert.That(put.Json.GetProperty("rows").GetInt64(), Is.EqualTo(150_000));
        Assert.That(put.Json.GetProperty("bytes").GetInt64(), Is.EqualTo(csv.Length));
        Assert.That(put.Json.GetProperty("sha256").GetString(), Is.EqualTo(DatasetStore.Sha256(csv)));
        Assert.That(put.Json.GetProperty("columns").EnumerateArray().Select(c => $"{c.GetProperty("name")}:{c.GetProperty("kind")}"),
            Is.EqualTo(new[] { "x1:numeric", "x2:numeric", "city:categorical", "y:numeric" }));
        Assert.That(put.Json.GetProperty("columns")[0].GetProperty("missing").GetInt64(), Is.GreaterThan(0));
        Assert.That(get.Body, Is.EqualTo(put.Body));
    }

    [Test]
    public async Task Train_FromUploadedDataset_TrainsOnItAndRecordsItsLineage()
    {
        var name = ModelNames.Unique("source");
        var model = ModelNames.Unique("from-dataset");
        var csv = SyntheticData.Bytes(SyntheticData.Csv(3000, withCity: true));
        await PutAsync(name, new MemoryStream(csv), "text/csv");

        var train = await TrainAsync($"?dataset={name}&model={model}&wait=60");
        var manifest = await _host.Get<ModelStore>().GetManifestAsync(model, 1, CancellationToken.None);

        Assert.That(train.Status, Is.EqualTo(200), train.Body);
        Assert.That(train.Json.GetProperty("score").GetDouble(), Is.GreaterThan(0.99));
        Assert.That(manifest!.Dataset, Is.EqualTo(new DatasetReference($"datasets/{name}.csv", DatasetStore.Sha256(csv))));
        Assert.That(manifest.Rows.Train + manifest.Rows.Test, Is.EqualTo(3000));
    }

    [Test]
    public async Task Put_BadRowDeepInTheFile_Answers400AndLeavesNothing()
    {
        var name = ModelNames.Unique("broken");
        var csv = SyntheticData.Csv(200_000) + "1,2,3,4\n";

        var put = await PutAsync(name, new MemoryStream(Encoding.UTF8.GetBytes(csv)), "text/csv");
        var get = await CallAsync(HttpExchange.Get($"/api/datasets/{name}"), (f, r) => f.GetAsync(r, name, CancellationToken.None));
        var list = await CallAsync(HttpExchange.Get("/api/datasets"), (f, r) => f.ListAsync(r, CancellationToken.None));

        Assert.That(put.Status, Is.EqualTo(400));
        Assert.That(put.Json.GetProperty("detail").GetString(), Does.Contain("Line 200002 has 4 fields but the header has 3"));
        Assert.That(get.Status, Is.EqualTo(404));
        Assert.That(list.Json.GetProperty("datasets").EnumerateArray().Select(d => d.GetProperty("name").GetString()), Does.Not.Contain(name));
    }

    [Test]
    public async Task Put_ExistingName_Answers409AndKeepsTheFirst()
    {
        var name = ModelNames.Unique("twice");
        var first = await PutAsync(name, new MemoryStream(SyntheticData.Bytes(SyntheticData.Csv(10, seed: 1))), "text/csv");

        var second = await PutAsync(name, new MemoryStream(SyntheticData.Bytes(SyntheticData.Csv(10, seed: 2))), "text/csv");
        var get = await CallAsync(HttpExchange.Get($"/api/datasets/{name}"), (f, r) => f.GetAsync(r, name, CancellationToken.None));

        Assert.That(second.Status, Is.EqualTo(409));
        Assert.That(second.Json.GetProperty("detail").GetString(), Does.Contain("never overwritten"));
        Assert.That(get.Json.GetProperty("sha256").GetString(), Is.EqualTo(first.Json.GetProperty("sha256").GetString()));
    }

    [Test]
    public async Task Put_WrongContentTypeOrTooLarge_IsRefused()
    {
        var wrongType = await PutAsync(ModelNames.Unique("type"), new MemoryStream(Encoding.UTF8.GetBytes("{}")), "application/json");
        var tooLarge = await PutAsync(ModelNames.Unique("large"), new TrickleStream(SyntheticData.Bytes(SyntheticData.Csv(500_000))), "text/csv");
        var badName = await PutAsync("Not_Valid", new MemoryStream(Encoding.UTF8.GetBytes("x,y\n1,2\n")), "text/csv");

        Assert.That(wrongType.Status, Is.EqualTo(415));
        Assert.That(tooLarge.Status, Is.EqualTo(413));
        Assert.That(badName.Status, Is.EqualTo(400));
    }

    [Test]
    public async Task Put_Windows1252WithItsCharset_IsStoredAsUtf8AndCountsItsCategories()
    {
        var name = ModelNames.Unique("cp1252");
        var csv = Encoding.Latin1.GetBytes("x,city,y\n1,Tromsø,2\n2,Bodø,3\n3,Tromsø,4\n");

        var put = await PutAsync(name, new MemoryStream(csv), "text/csv; charset=windows-1252");
        var stored = await _host.Get<Azure.Storage.Blobs.BlobServiceClient>().GetBlobContainerClient(BlobContainers.Datasets)
            .GetBlobClient($"{name}.csv").DownloadContentAsync();

        Assert.That(put.Status, Is.EqualTo(201), put.Body);
        Assert.That(stored.Value.Content.ToString(), Is.EqualTo("x,city,y\n1,Tromsø,2\n2,Bodø,3\n3,Tromsø,4\n"));
        Assert.That(put.Json.GetProperty("columns")[1].GetProperty("levels").GetInt32(), Is.EqualTo(2));
        Assert.That(put.Json.GetProperty("columns")[0].TryGetProperty("levels", out _), Is.False);
    }

    [Test]
    public async Task Train_NamedDatasetOverALimit_IsRefusedBeforeTheRunStarts()
    {
        var ids = ModelNames.Unique("ids");
        var wide = ModelNames.Unique("wide");
        await PutAsync(ids, new MemoryStream(Encoding.UTF8.GetBytes("id,y\n" + string.Concat(Enumerable.Range(0, 1500).Select(i => $"u{i},{i}\n")))), "text/csv");
        await PutAsync(wide, new MemoryStream(SyntheticData.Bytes(SyntheticData.Csv(3000, withCity: true))), "text/csv");
        await using var limited = AppServices.Build(new Dictionary<string, string?> { ["Training:MaxCells"] = "5000" });

        var levels = await TrainAsync($"?dataset={ids}&model={ModelNames.Unique("never")}");
        var cells = await TrainAsync($"?dataset={wide}&model={ModelNames.Unique("never")}", services: limited);

        Assert.That(levels.Status, Is.EqualTo(400), levels.Body);
        Assert.That(levels.Json.GetProperty("detail").GetString(), Does.Contain("Column 'id' has more than 1,000 distinct text values"));
        Assert.That(cells.Status, Is.EqualTo(413), cells.Body);
        Assert.That(cells.Json.GetProperty("detail").GetString(), Does.Contain("3,000 rows").And.Contain("(Training__MaxCells)"));
    }

    [Test]
    public async Task WideCsvCopiedIntoStorage_IsDescribedButNotTrainedOn()
    {
        var name = ModelNames.Unique("copied");
        var csv = string.Join(",", Enumerable.Range(0, 1001).Select(i => $"c{i}")) + "\n" + string.Concat(Enumerable.Repeat(string.Join(",", Enumerable.Range(0, 1001)) + "\n", 5));
        await _host.Get<Azure.Storage.Blobs.BlobServiceClient>().GetBlobContainerClient(BlobContainers.Datasets).UploadBlobAsync($"{name}.csv", BinaryData.FromString(csv));

        var get = await CallAsync(HttpExchange.Get($"/api/datasets/{name}"), (f, r) => f.GetAsync(r, name, CancellationToken.None));
        var train = await TrainAsync($"?dataset={name}&model={ModelNames.Unique("never")}");

        Assert.That(get.Status, Is.EqualTo(200), get.Body);
        Assert.That(get.Json.GetProperty("columns").GetArrayLength(), Is.EqualTo(1001));
        Assert.That(train.Status, Is.EqualTo(413), train.Body);
        Assert.That(train.Json.GetProperty("detail").GetString(), Does.Contain("1,001 columns"));
    }

    [Test]
    public async Task Delete_RemovesTheDataset()
    {
        var name = ModelNames.Unique("gone");
        await PutAsync(name, new MemoryStream(SyntheticData.Bytes(SyntheticData.Csv(10))), "text/csv");

        var delete = await CallAsync(HttpExchange.Delete($"/api/datasets/{name}"), (f, r) => f.DeleteAsync(r, name, CancellationToken.None));
        var again = await CallAsync(HttpExchange.Delete($"/api/datasets/{name}"), (f, r) => f.DeleteAsync(r, name, CancellationToken.None));
        var get = await CallAsync(HttpExchange.Get($"/api/datasets/{name}"), (f, r) => f.GetAsync(r, name, CancellationToken.None));

        Assert.That(delete.Status, Is.EqualTo(204));
        Assert.That(again.Status, Is.EqualTo(404));
        Assert.That(get.Status, Is.EqualTo(404));
    }

    [Test]
    public async Task Train_UnknownDatasetOrTextLabel_IsRefusedBeforeAnythingStarts()
    {
        var name = ModelNames.Unique("labels");
        await PutAsync(name, new MemoryStream(SyntheticData.Bytes(SyntheticData.Csv(50, withCity: true))), "text/csv");

        var unknown = await TrainAsync("?dataset=no-such-dataset");
        var textLabel = await TrainAsync($"?dataset={name}&label=city");
        var both = await TrainAsync($"?dataset={name}", "text/csv", "x,y\n1,2\n");

        Assert.That(unknown.Status, Is.EqualTo(404));
        Assert.That(unknown.Json.GetProperty("detail").GetString(), Does.Contain("PUT /api/datasets/no-such-dataset"));
        Assert.That(textLabel.Status, Is.EqualTo(400));
        Assert.That(textLabel.Json.GetProperty("detail").GetString(), Does.Contain("'city'").And.Contain("must be numeric"));
        Assert.That(both.Status, Is.EqualTo(400));
    }

    [Test]
    public async Task Put_Parquet_StoresItAsParquetAndAnswersItsSummary()
    {
        var name = ModelNames.Unique("parquet");
        var parquet = await SyntheticData.ParquetAsync(5000, withCity: true, missingRate: 0.01);

        var put = await PutAsync(name, new TrickleStream(parquet), "application/vnd.apache.parquet");
        var list = await CallAsync(HttpExchange.Get("/api/datasets"), (f, r) => f.ListAsync(r, CancellationToken.None));
        var stored = await _host.Get<Azure.Storage.Blobs.BlobServiceClient>().GetBlobContainerClient(BlobContainers.Datasets)
            .GetBlobClient($"{name}.parquet").DownloadContentAsync();

        Assert.That(put.Status, Is.EqualTo(201), put.Body);
        Assert.That(put.Json.GetProperty("format").GetString(), Is.EqualTo("parquet"));
        Assert.That(put.Json.GetProperty("rows").GetInt64(), Is.EqualTo(5000));
        Assert.That(put.Json.GetProperty("bytes").GetInt64(), Is.EqualTo(parquet.Length));
        Assert.That(put.Json.GetProperty("sha256").GetString(), Is.EqualTo(DatasetStore.Sha256(parquet)));
        Assert.That(put.Json.GetProperty("columns").EnumerateArray().Select(c => $"{c.GetProperty("name")}:{c.GetProperty("kind")}"),
            Is.EqualTo(new[] { "x1:numeric", "x2:numeric", "city:categorical", "y:numeric" }));
        Assert.That(put.Json.GetProperty("columns")[0].GetProperty("missing").GetInt64(), Is.GreaterThan(0));
        Assert.That(put.Json.GetProperty("columns")[2].GetProperty("levels").GetInt32(), Is.EqualTo(3));
        Assert.That(stored.Value.Content.ToArray(), Is.EqualTo(parquet));
        Assert.That(stored.Value.Details.ContentType, Is.EqualTo("application/vnd.apache.parquet"));
        Assert.That(list.Json.GetProperty("datasets").EnumerateArray().Select(d => d.GetProperty("name").GetString()), Does.Contain(name));
    }

    [Test]
    public async Task Train_FromUploadedParquet_TrainsOnItAndRecordsItsLineage()
    {
        var name = ModelNames.Unique("pq-source");
        var model = ModelNames.Unique("from-parquet");
        var parquet = await SyntheticData.ParquetAsync(3000, withCity: true);
        await PutAsync(name, new MemoryStream(parquet), "application/vnd.apache.parquet");

        var train = await TrainAsync($"?dataset={name}&model={model}&wait=60");
        var manifest = await _host.Get<ModelStore>().GetManifestAsync(model, 1, CancellationToken.None);

        Assert.That(train.Status, Is.EqualTo(200), train.Body);
        Assert.That(train.Json.GetProperty("score").GetDouble(), Is.GreaterThan(0.99));
        Assert.That(manifest!.Dataset, Is.EqualTo(new DatasetReference($"datasets/{name}.parquet", DatasetStore.Sha256(parquet))));
        Assert.That(manifest.Rows.Train + manifest.Rows.Test, Is.EqualTo(3000));
    }

    [Test]
    public async Task Put_GarbageAsParquet_Answers400AndLeavesNothing()
    {
        var name = ModelNames.Unique("garbage");

        var put = await PutAsync(name, new MemoryStream(SyntheticData.Bytes(SyntheticData.Csv(100))), "application/vnd.apache.parquet");
        var get = await CallAsync(HttpExchange.Get($"/api/datasets/{name}"), (f, r) => f.GetAsync(r, name, CancellationToken.None));

        Assert.That(put.Status, Is.EqualTo(400), put.Body);
        Assert.That(put.Json.GetProperty("detail").GetString(), Is.EqualTo("The body is not a Parquet file: it does not start and end with 'PAR1'. Send the file's bytes as they are (curl --data-binary @file.parquet), or send CSV with Content-Type: text/csv."));
        Assert.That(get.Status, Is.EqualTo(404));
    }

    [Test]
    public async Task Put_ParquetWithADateColumnOrOverTheSize_IsRefused()
    {
        var dated = await ParquetFiles.WriteAsync(Enumerable.Range(0, 5).Select(i => new Data.ParquetTableReaderTests.Dated { Sold = DateTime.UnixEpoch.AddDays(i), Price = i }));

        var date = await PutAsync(ModelNames.Unique("dated"), new MemoryStream(dated), "application/vnd.apache.parquet");
        var tooLarge = await PutAsync(ModelNames.Unique("large"), new TrickleStream(new byte[20_000_001]), "application/vnd.apache.parquet");

        Assert.That(date.Status, Is.EqualTo(400), date.Body);
        Assert.That(date.Json.GetProperty("detail").GetString(), Does.StartWith("Column 'Sold' holds dates"));
        Assert.That(tooLarge.Status, Is.EqualTo(413), tooLarge.Body);
    }

    [Test]
    public async Task Put_SameNameInTheOtherFormat_Answers409()
    {
        var name = ModelNames.Unique("both");
        await PutAsync(name, new MemoryStream(SyntheticData.Bytes(SyntheticData.Csv(10))), "text/csv");

        var parquet = await PutAsync(name, new MemoryStream(await SyntheticData.ParquetAsync(10)), "application/vnd.apache.parquet");
        var delete = await CallAsync(HttpExchange.Delete($"/api/datasets/{name}"), (f, r) => f.DeleteAsync(r, name, CancellationToken.None));
        var again = await PutAsync(name, new MemoryStream(await SyntheticData.ParquetAsync(10)), "application/vnd.apache.parquet");

        Assert.That(parquet.Status, Is.EqualTo(409), parquet.Body);
        Assert.That(delete.Status, Is.EqualTo(204));
        Assert.That(again.Status, Is.EqualTo(201), again.Body);
    }

    [Test]
    public async Task Put_ManyUploadsOfOneNameInBothFormatsAtOnce_StoresOneAndAnswers409ToTheRest()
    {
        // The two formats are two blobs, so their conditional writes alone cannot stop a CSV and a Parquet file both
        // being stored under one name.
        var name = ModelNames.Unique("race");
        var csv = SyntheticData.Bytes(SyntheticData.Csv(2_000));
        var parquet = await SyntheticData.ParquetAsync(2_000);
        var datasets = _host.Get<Azure.Storage.Blobs.BlobServiceClient>().GetBlobContainerClient(BlobContainers.Datasets);

        var puts = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => i % 2 == 0
            ? PutAsync(name, new MemoryStream(csv), "text/csv")
            : PutAsync(name, new MemoryStream(parquet), "application/vnd.apache.parquet"))));
        var list = await CallAsync(HttpExchange.Get("/api/datasets"), (f, r) => f.ListAsync(r, CancellationToken.None));
        var stored = new List<string>();
        foreach (var blob in new[] { $"{name}.csv", $"{name}.parquet" })
        {
            if ((await datasets.GetBlobClient(blob).ExistsAsync()).Value)
            {
                stored.Add(blob);
            }
        }

        Assert.That(puts.Count(p => p.Status == 201), Is.EqualTo(1), string.Join("\n", puts.Select(p => $"{p.Status} {p.Body}")));
        Assert.That(puts.Count(p => p.Status == 409), Is.EqualTo(15));
        Assert.That(list.Json.GetProperty("datasets").EnumerateArray().Count(d => d.GetProperty("name").GetString() == name), Is.EqualTo(1));
        Assert.That(stored, Has.Count.EqualTo(1));
        Assert.That((await datasets.GetBlobClient($"{name}.claim").ExistsAsync()).Value, Is.False, "the claim is released");
    }

    [Test]
    public async Task Put_AfterAFailedUploadOfTheName_StoresIt()
    {
        var name = ModelNames.Unique("retry");

        var bad = await PutAsync(name, new MemoryStream(SyntheticData.Bytes(SyntheticData.Csv(100))), "application/vnd.apache.parquet");
        var good = await PutAsync(name, new MemoryStream(SyntheticData.Bytes(SyntheticData.Csv(100))), "text/csv");

        Assert.That(bad.Status, Is.EqualTo(400), bad.Body);
        Assert.That(good.Status, Is.EqualTo(201), good.Body);
    }

    private Task<HttpExchange> PutAsync(string name, Stream body, string contentType) =>
        CallAsync(new HttpExchange($"/api/datasets/{name}", contentType, body, method: "PUT"), (f, r) => f.PutAsync(r, name, CancellationToken.None));

    private Task<HttpExchange> CallAsync(HttpExchange exchange, Func<DatasetFunctions, Microsoft.AspNetCore.Http.HttpRequest, Task<Microsoft.AspNetCore.Mvc.IActionResult>> call) =>
        Functions.CallAsync<DatasetFunctions>(_host.Services, exchange, f => call(f, exchange.Request));

    private async Task<HttpExchange> TrainAsync(string query, string? contentType = null, string? body = null, IServiceProvider? services = null)
    {
        var exchange = new HttpExchange("/api/train", contentType, body, query);
        return await Functions.CallAsync<TrainFunction>(services ?? _host.Services, exchange, f => f.RunAsync(exchange.Request, _host.Client, CancellationToken.None));
    }

    /// <summary>A body of unknown length that arrives in small reads, as a network stream does.</summary>
    private sealed class TrickleStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 16 * 1024)], cancellationToken);
    }
}
