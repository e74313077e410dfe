using System.Text;
using Azure.Storage.Blobs;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using ServerlessML.Data;
using ServerlessML.Http;
using ServerlessML.Storage;
using ServerlessML.Tests.Infrastructure;
using ServerlessML.Training;

namespace ServerlessML.Tests.Http;

public sealed class TrainFunctionTests
{
    private WorkflowHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _host = await WorkflowHost.StartAsync(new Dictionary<string, string?> { ["Training:MaxRequestBytes"] = "100000" });

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public async Task Train_Csv_Returns202WithLocationRetryAfterAndManagementLinks()
    {
        var model = ModelNames.Unique("http");

        var response = await TrainAsync("text/csv", SyntheticData.Csv(100), $"?model={model}");

        var id = response.Json.GetProperty("id").GetString()!;
        Assert.That(response.Status, Is.EqualTo(202));
        Assert.That(response.Headers.Location.ToString(), Is.EqualTo($"http://localhost:7071/runtime/webhooks/durabletask/instances/{id}"));
        Assert.That(response.Headers.RetryAfter.ToString(), Is.EqualTo("10"));
        Assert.That(response.Json.GetProperty("statusQueryGetUri").GetString(), Is.EqualTo(response.Headers.Location.ToString()));
        Assert.That(response.Json.EnumerateObject().Select(p => p.Name), Is.SupersetOf(new[] { "id", "statusQueryGetUri", "sendEventPostUri", "terminatePostUri", "purgeHistoryDeleteUri" }));
        var finished = await _host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true);
        Assert.That(finished.RuntimeStatus, Is.EqualTo(OrchestrationRuntimeStatus.Completed), finished.FailureDetails?.ErrorMessage);
        Assert.That(finished.ReadOutputAs<TrainingResult>()!.Model, Is.EqualTo(model));
    }

    [Test]
    public async Task Train_WithWait_Returns200WithTheResult()
    {
        var response = await TrainAsync("text/csv", SyntheticData.Csv(200), $"?model={ModelNames.Unique("wait")}&wait=60");

        Assert.That(response.Status, Is.EqualTo(200));
        Assert.That(response.Json.GetProperty("version").GetInt32(), Is.EqualTo(1));
        Assert.That(response.Json.GetProperty("score").GetDouble(), Is.GreaterThan(0.99));
        Assert.That(response.Json.GetProperty("rows").GetProperty("test").GetInt32(), Is.EqualTo(40));
    }

    [Test]
    public async Task Train_JsonRecordsWithOptions_TrainsWithThem()
    {
        var model = ModelNames.Unique("json");
        var records = string.Join(",", Enumerable.Range(0, 50).Select(i => $$"""{"size (m²)": {{i}}, "city": "{{SyntheticData.Cities[i % 3]}}", "price": {{2 * i + 1}}}"""));
        var body = $$"""{"model": "{{model}}", "label": "price", "testFraction": 0.3, "seed": 7, "trainer": {"l2": 0.01, "maxIterations": 50}, "data": [{{records}}]}""";

        var response = await TrainAsync("application/json", body, "?wait=60");
        var manifest = await _host.Get<ModelStore>().GetManifestAsync(model, 1, CancellationToken.None);

        Assert.That(response.Status, Is.EqualTo(200), response.Body);
        Assert.That(manifest!.Training, Is.EqualTo(new TrainingSettings("Sdca", new ServerlessML.ML.TrainerOptions(0.01f, null, 50), 0.3, 7)));
        Assert.That(manifest.Schema.Features.Select(f => f.Name), Is.EqualTo(new[] { "size (m²)", "city" }));
        Assert.That(manifest.Rows, Is.EqualTo(new RowCounts(35, 15)));
        Assert.That(manifest.Dataset.Sha256, Is.EqualTo(DatasetStore.Sha256(Encoding.UTF8.GetBytes($"[{records}]"))), "the data as sent, without the options beside it");
    }

    [TestCase("?trainer=fasttree", "FastTree")]
    [TestCase("?trainer=LightGbm", "LightGbm")]
    [TestCase("?trainer=sdca", "Sdca")]
    public async Task Train_TrainerOption_TrainsWithItAndRecordsItInTheManifest(string query, string recorded)
    {
        var model = ModelNames.Unique("trainer");

        var response = await TrainAsync("text/csv", SyntheticData.Csv(300, withCity: true), $"{query}&model={model}&wait=60");
        var manifest = await _host.Get<ModelStore>().GetManifestAsync(model, 1, CancellationToken.None);

        Assert.That(response.Status, Is.EqualTo(200), response.Body);
        Assert.That(manifest!.Training.Trainer, Is.EqualTo(recorded));
        Assert.That(response.Json.GetProperty("score").GetDouble(), Is.GreaterThan(0.8));
    }

    [Test]
    public async Task Train_TrainerAutoWithFolds_SweepsAndAnswersTheLeaderboardAndCrossValidation()
    {
        var model = ModelNames.Unique("auto");

        var response = await TrainAsync("text/csv", SyntheticData.Csv(300), $"?model={model}&trainer=auto&sweep=3&folds=2&wait=60");

        Assert.That(response.Status, Is.EqualTo(200), response.Body);
        var sweep = response.Json.GetProperty("sweep");
        Assert.That(sweep.GetProperty("tried").GetInt32(), Is.EqualTo(3));
        Assert.That(sweep.GetProperty("leaderboard")[0].GetProperty("trainer").GetProperty("kind").GetString(), Is.EqualTo("sdca"), "the data is linear");
        Assert.That(sweep.GetProperty("leaderboard").EnumerateArray().Select(e => e.GetProperty("trainer").GetProperty("kind").GetString()), Is.EquivalentTo(new[] { "sdca", "fasttree", "lightgbm" }), "by the names a request gives them");
        Assert.That(response.Json.GetProperty("crossValidation").GetProperty("folds").GetInt32(), Is.EqualTo(2));
        Assert.That(response.Json.GetProperty("crossValidation").GetProperty("rmseMean").GetDouble(), Is.GreaterThan(0));
    }

    [Test]
    public async Task Train_JsonTrainerObjectWithName_TrainsWithThatTrainer()
    {
        var model = ModelNames.Unique("trainer");
        var body = $$"""{"model": "{{model}}", "trainer": {"name": "fasttree"}, "data": [{{string.Join(",", Enumerable.Range(0, 60).Select(i => $"[{i}, {i * i}]"))}}]}""";

        var response = await TrainAsync("application/json", body, "?wait=60");
        var manifest = await _host.Get<ModelStore>().GetManifestAsync(model, 1, CancellationToken.None);

        Assert.That(response.Status, Is.EqualTo(200), response.Body);
        Assert.That(manifest!.Training.Options.Kind, Is.EqualTo(ServerlessML.ML.TrainerKind.FastTree));
    }

    [Test]
    public async Task Train_BareArrayOfRows_UsesLastValueAsLabel()
    {
        var rows = string.Join(",", Enumerable.Range(0, 30).Select(i => $"[{i}, {i % 5}, {3 * i - 2 * (i % 5) + 5}]"));
        var model = ModelNames.Unique("rows");

        var response = await TrainAsync("application/json", $"[{rows}]", $"?model={model}&wait=60");
        var manifest = await _host.Get<ModelStore>().GetManifestAsync(model, 1, CancellationToken.None);

        Assert.That(response.Status, Is.EqualTo(200), response.Body);
        Assert.That(manifest!.Schema.Label, Is.EqualTo("y"));
        Assert.That(manifest.Schema.Features.Select(f => f.Name), Is.EqualTo(new[] { "x1", "x2" }));
    }

    [TestCase("text/csv", "", "", 400, "The request body is empty")]
    [TestCase("text/csv", "1,2,3\n4,5,6\n7,8,9\n", "", 400, "looks like data, not a header")]
    [TestCase("text/csv", "x,y\n1,2\n2,3\n3\n4,5\n5,6\n", "", 400, "Line 4 has 1 field but the header has 2")]
    [TestCase("text/csv", "x,y\n1,2\n2,3\n3,4\n4,5\n5,6\n", "?label=price", 400, "The label column 'price' is not in the dataset")]
    [TestCase("text/csv", "x,y\n1,2\n2,3\n3,four\n4,5\n5,6\n", "", 400, "Line 4: the label 'y' has the value 'four', which is not a number")]
    [TestCase("text/csv", "x,y\n1,2\n2,3\n3,4\n", "", 400, "needs at least 4")]
    [TestCase("text/csv", "x,y\n1,2\nNaN,3\n3,4\n4,5\n5,6\n", "", 400, "'NaN' is not a finite number")]
    [TestCase("text/csv", "x,y\n1,2\n2,3\n3,4\n4,5\n5,6\n", "?model=Bad_Name", 400, "'Bad_Name' is not a valid model name")]
    [TestCase("text/csv", "x,y\n1,2\n2,3\n3,4\n4,5\n5,6\n", "?testFraction=1.5", 400, "testFraction must be between 0 and 1")]
    [TestCase("text/csv", "x,y\n1,2\n2,3\n3,4\n4,5\n5,6\n", "?seed=abc", 400, "Query parameter 'seed' must be a whole number")]
    [TestCase("text/csv", "x,y\n1,2\n2,3\n3,4\n4,5\n5,6\n", "?l2=-1", 400, "l2 must be zero or a positive number")]
    [TestCase("text/csv", "x,y\n1,2\n2,3\n3,4\n4,5\n5,6\n", "?trainer=xgboost", 400, "trainer must be sdca, fasttree, lightgbm or auto (a sweep); got 'xgboost'.")]
    [TestCase("text/csv", "x,y\n1,2\n2,3\n3,4\n4,5\n5,6\n", "?trainer=fasttree&maxIterations=10", 400, "trainer=fasttree takes none of them")]
    [TestCase("application/json", "{\"trainer\": \"sdca\", \"data\": [[1,2],[2,3],[3,4],[4,5],[5,6]]}", "?trainer=sdca", 400, "'trainer' is given both in the query string and in the body")]
    [TestCase("text/csv", "x,y\n1,2\n2,3\n3,4\n4,5\n5,6\n", "?folds=1", 400, "folds must be between 2 and 10; got 1.")]
    [TestCase("text/csv", "x,y\n1,2\n2,3\n3,4\n4,5\n5,6\n6,7\n", "?sweep=true", 400, "5 folds need at least 10 training rows; this data has 4 after the test split.")]
    [TestCase("text/csv", "x,y\n1,2\n2,3\n3,4\n4,5\n5,6\n", "?sweep=maybe", 400, "Query parameter 'sweep' must be true, false or a number of candidates from 1; got 'maybe'.")]
    [TestCase("text/csv", "x,y\n1,2\n2,3\n3,4\n4,5\n5,6\n", "?sweep=true&trainer=fasttree", 400, "A sweep chooses the trainer by cross-validated RMSE, so it cannot go with trainer=fasttree")]
    [TestCase("text/csv", "x,y\n1,2\n2,3\n3,4\n4,5\n5,6\n", "?trainer=auto&sweep=false", 400, "trainer=auto sweeps over the trainers; it cannot go with sweep=false")]
    [TestCase("text/csv", "x,y\n1,2\n2,3\n3,4\n4,5\n5,6\n", "?sweep=4&l2=0.1", 400, "A sweep chooses l2, l1 and maxIterations itself")]
    [TestCase("text/csv", "x,y\n1,2\n2,3\n3,4\n4,5\n5,6\n", "?trainer=atuo", 400, "Did you mean 'auto'?")]
    [TestCase("application/json", "{\"data\": [[1,2],[2,3],[3,4],[4,5],[5,6]], \"lable\": \"y\"}", "", 400, "'lable', which is not an option")]
    [TestCase("application/json", "{\"data\": [[1,2],[2,3],[3,4],[4,5]", "", 400, "The body is not valid JSON")]
    [TestCase("application/json", "{\"data\": [{\"x\":1,\"y\":2},{\"x\":true,\"y\":3}]}", "", 400, "data[1].x: 'x' must be a number, a string or null, not the boolean true")]
    [TestCase("application/json", "{\"model\": \"m\", \"data\": [[1,2],[2,3],[3,4],[4,5],[5,6]]}", "?model=m", 400, "'model' is given both in the query string and in the body")]
    [TestCase("application/xml", "<x/>", "", 415, "Content-Type 'application/xml' is not supported; send text/csv")]
    [TestCase(null, "x,y\n1,2\n", "", 415, "The request has no Content-Type")]
    public async Task Train_BadInput_AnswersProblemAndStagesNothing(string? contentType, string body, string query, int status, string detail)
    {
        var model = ModelNames.Unique("bad");
        var scopedQuery = query.Contains("model=", StringComparison.Ordinal) ? query : $"{(query.Length == 0 ? "?" : query + "&")}model={model}";

        var response = await TrainAsync(contentType, body, scopedQuery);

        Assert.That(response.Status, Is.EqualTo(status));
        Assert.That(response.ContentType, Does.StartWith("application/problem+json"));
        Assert.That(response.Json.GetProperty("status").GetInt32(), Is.EqualTo(status));
        Assert.That(response.Json.GetProperty("detail").GetString(), Does.Contain(detail));
        Assert.That(await StagedBlobsAsync(model), Is.Empty);
    }

    [Test]
    public async Task Train_Latin1CsvWithItsCharset_IsReadInItsCharset()
    {
        var model = ModelNames.Unique("latin1");
        var rows = string.Concat(Enumerable.Range(0, 40).Select(i => $"{i},{(i % 2 == 0 ? "Tromsø" : "Bodø")},{2 * i}\n"));
        var exchange = new HttpExchange("/api/train", "text/csv; charset=iso-8859-1", new MemoryStream(Encoding.Latin1.GetBytes("x,city,y\n" + rows)), $"?model={model}");

        var response = await Functions.CallAsync<TrainFunction>(_host.Services, exchange, f => f.RunAsync(exchange.Request, _host.Client, CancellationToken.None));
        var staged = await ReadStagedAsync(model);
        await _host.Client.WaitForInstanceCompletionAsync(response.Json.GetProperty("id").GetString()!);
        var manifest = await _host.Get<ModelStore>().GetManifestAsync(model, 1, CancellationToken.None);

        Assert.That(response.Status, Is.EqualTo(202), response.Body);
        Assert.That(((CategoricalColumn)staged.Table["city"]).Levels, Is.EqualTo(new[] { "Tromsø", "Bodø" }));
        Assert.That(manifest!.Dataset.Sha256, Is.EqualTo(DatasetStore.Sha256(Encoding.Latin1.GetBytes("x,city,y\n" + rows))), "the bytes as sent");
    }

    [Test]
    public async Task Train_BodyOverTheLimit_Returns413()
    {
        var model = ModelNames.Unique("big");

        var response = await TrainAsync("text/csv", SyntheticData.Csv(5000), $"?model={model}");

        Assert.That(response.Status, Is.EqualTo(413));
        Assert.That(response.Json.GetProperty("detail").GetString(), Does.Contain("100,000 bytes"));
        Assert.That(await StagedBlobsAsync(model), Is.Empty);
    }

    [Test]
    public async Task Train_Parquet_StagesItAsReadAndTrainsOnIt()
    {
        var model = ModelNames.Unique("parquet");
        var parquet = await SyntheticData.ParquetAsync(300, withCity: true, missingRate: 0.02);

        var response = await TrainAsync("application/vnd.apache.parquet", parquet, $"?model={model}&wait=60");
        var manifest = await _host.Get<ModelStore>().GetManifestAsync(model, 1, CancellationToken.None);
        var staged = await StagedBlobsAsync(model);
        var read = await ReadStagedAsync(model);
        var sent = await ParquetTableReader.ReadAsync(new MemoryStream(parquet), new DatasetReadOptions(), CancellationToken.None);

        Assert.That(response.Status, Is.EqualTo(200), response.Body);
        Assert.That(response.Json.GetProperty("score").GetDouble(), Is.GreaterThan(0.99));
        Assert.That(response.Json.GetProperty("rows").GetProperty("test").GetInt32(), Is.EqualTo(60));
        Assert.That(manifest!.Schema.Features.Select(f => $"{f.Name}:{f.Kind}"), Is.EqualTo(new[] { "x1:Numeric", "x2:Numeric", "city:Categorical" }));
        Assert.That(staged.Single(), Does.EndWith(".parquet"));
        Assert.That(manifest.Dataset.Sha256, Is.EqualTo(DatasetStore.Sha256(parquet)));
        Assert.That(read.Label, Is.EqualTo(sent.Label));
        Assert.That(read.Table.Columns.Select(c => $"{c.Name}:{c.Kind}"), Is.EqualTo(sent.Table.Columns.Select(c => $"{c.Name}:{c.Kind}")));
        Assert.That(((NumericColumn)read.Table["x1"]).Values, Is.EqualTo(((NumericColumn)sent.Table["x1"]).Values));
        Assert.That(((CategoricalColumn)read.Table["city"]).Codes, Is.EqualTo(((CategoricalColumn)sent.Table["city"]).Codes));
        Assert.That(((CategoricalColumn)read.Table["city"]).Levels, Is.EqualTo(((CategoricalColumn)sent.Table["city"]).Levels));
    }

    [TestCase("garbage", "", 400, "The body is not a Parquet file: it does not start and end with 'PAR1'. Send the file's bytes as they are (curl --data-binary @file.parquet), or send CSV with Content-Type: text/csv.")]
    [TestCase("cut", "", 400, "The body is not a whole Parquet file: it starts with 'PAR1' but does not end with it, so it was cut short.")]
    [TestCase("houses", "?label=City", 400, "The label 'City' is a text column")]
    [TestCase("houses", "?label=Rooms", 400, "Row 5: the label 'Rooms' is null")]
    [TestCase("houses", "?label=Nope", 400, "The label column 'Nope' is not in the dataset")]
    [TestCase("houses", "?dataset=houses", 400, "Send the data either as the body or as ?dataset={name}, not both")]
    [TestCase("dated", "", 400, "Column 'Sold' holds dates, which cannot be trained on")]
    [TestCase("large", "", 413, "100,000 bytes")]
    public async Task Train_BadParquet_AnswersProblemAndStagesNothing(string file, string query, int status, string detail)
    {
        var model = ModelNames.Unique("bad-parquet");
        var houses = await ParquetFiles.HousesAsync();
        var body = file switch
        {
            "garbage" => Encoding.UTF8.GetBytes(SyntheticData.Csv(20)),
            "cut" => houses[..(houses.Length / 2)],
            "dated" => await ParquetFiles.WriteAsync(Enumerable.Range(0, 5).Select(i => new Data.ParquetTableReaderTests.Dated { Sold = DateTime.UnixEpoch.AddDays(i), Price = i })),
            "large" => await SyntheticData.ParquetAsync(20_000),
            _ => houses,
        };

        var response = await TrainAsync("application/vnd.apache.parquet", body, $"{(query.Length == 0 ? "?" : query + "&")}model={model}");

        Assert.That(response.Status, Is.EqualTo(status), response.Body);
        Assert.That(response.ContentType, Does.StartWith("application/problem+json"));
        Assert.That(response.Json.GetProperty("detail").GetString(), Does.Contain(detail));
        Assert.That(await StagedBlobsAsync(model), Is.Empty);
    }

    private async Task<HttpExchange> TrainAsync(string contentType, byte[] body, string query)
    {
        var exchange = new HttpExchange("/api/train", contentType, new MemoryStream(body), query);
        return await Functions.CallAsync<TrainFunction>(_host.Services, exchange, f => f.RunAsync(exchange.Request, _host.Client, CancellationToken.None));
    }

    private async Task<HttpExchange> TrainAsync(string? contentType, string body, string query)
    {
        var exchange = new HttpExchange("/api/train", contentType, body, query);
        return await Functions.CallAsync<TrainFunction>(_host.Services, exchange, f => f.RunAsync(exchange.Request, _host.Client, CancellationToken.None));
    }

    // The data staged for the model's one run, as the run reads it.
    private async Task<Dataset> ReadStagedAsync(string model) =>
        await _host.Get<DatasetStore>().ReadStagedAsync(new BlobPath(BlobContainers.Datasets, (await StagedBlobsAsync(model)).Single()), CancellationToken.None);

    private async Task<List<string>> StagedBlobsAsync(string model)
    {
        var container = _host.Get<BlobServiceClient>().GetBlobContainerClient(BlobContainers.Datasets);
        var names = new List<string>();
        if (await container.ExistsAsync())
        {
            await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, $"{model}/", CancellationToken.None))
            {
                names.Add(blob.Name);
            }
        }

        return names;
    }
}
