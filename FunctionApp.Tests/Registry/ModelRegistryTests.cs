using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.DurableTask.Client;
using Microsoft.ML;
using ServerlessML.Http;
using ServerlessML.Serving;
using ServerlessML.Storage;
using ServerlessML.Tests.Infrastructure;
using ServerlessML.Training;

namespace ServerlessML.Tests.Registry;

/// <summary>The model registry through its HTTP functions: versions, aliases, promotion and rollback, on Azurite.</summary>
public sealed class ModelRegistryTests
{
    private const string Instance = """[{"x1": 2, "x2": -1, "city": "Oslo"}]""";

    private WorkflowHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _host = await WorkflowHost.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public async Task ListShowAndDownload_DescribeEveryVersion()
    {
        var model = ModelNames.Unique("show");
        var first = await TrainAsync(model, SyntheticData.Csv(500, withCity: true, seed: 1));
        await TrainAsync(model, Shifted(SyntheticData.Csv(500, withCity: true, seed: 2), 50), "never");

        var list = await ModelsAsync(HttpExchange.Get("/api/models"), (f, r) => f.ListAsync(r, CancellationToken.None));
        var show = await ModelsAsync(HttpExchange.Get($"/api/models/{model}"), (f, r) => f.GetAsync(r, model, CancellationToken.None));
        var version = await ModelsAsync(HttpExchange.Get($"/api/models/{model}/versions/1"), (f, r) => f.GetVersionAsync(r, model, "1", CancellationToken.None));
        var zip = await ModelsAsync(HttpExchange.Get($"/api/models/{model}/versions/1/model.zip"), (f, r) => f.DownloadAsync(r, model, "1", CancellationToken.None));

        var summary = list.Json.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("name").GetString() == model);
        Assert.That(summary.GetProperty("versions").GetInt32(), Is.EqualTo(2));
        Assert.That(summary.GetProperty("latest").GetInt32(), Is.EqualTo(2));
        Assert.That(summary.GetProperty("production").GetInt32(), Is.EqualTo(1));
        Assert.That(summary.GetProperty("productionMetrics").GetProperty("rmse").GetDouble(), Is.EqualTo(first.Metrics.Rmse));

        var versions = show.Json.GetProperty("versions").EnumerateArray().ToArray();
        Assert.That(versions.Select(v => v.GetProperty("version").GetInt32()), Is.EqualTo(new[] { 1, 2 }));
        Assert.That(versions[0].GetProperty("aliases").EnumerateArray().Select(a => a.GetString()), Is.EqualTo(new[] { "production" }));
        Assert.That(versions[1].GetProperty("aliases").EnumerateArray().Select(a => a.GetString()), Is.EqualTo(new[] { "latest" }));
        Assert.That(versions[0].GetProperty("datasetSha256").GetString(), Has.Length.EqualTo(64));
        Assert.That(versions[0].GetProperty("runId").GetString(), Is.Not.Empty);
        Assert.That(versions[0].GetProperty("warnings").GetArrayLength(), Is.Zero);
        Assert.That(show.Json.GetProperty("incomplete").GetArrayLength(), Is.Zero);
        Assert.That(show.Json.GetProperty("history").EnumerateArray().Count(), Is.EqualTo(3));

        var schema = version.Json.GetProperty("schema").GetProperty("features");
        Assert.That(schema[2].GetProperty("levels").EnumerateArray().Select(l => l.GetString()), Is.EquivalentTo(SyntheticData.Cities));
        Assert.That(schema[0].GetProperty("min").GetDouble(), Is.LessThan(schema[0].GetProperty("max").GetDouble()));

        Assert.That(zip.ContentType, Is.EqualTo("application/zip"));
        var loaded = new MLContext().Model.Load(zip.Context.Response.Body, out var inputSchema);
        Assert.That(inputSchema.Select(c => c.Name), Is.EqualTo(new[] { "x1", "x2", "city" }));
        Assert.That(loaded, Is.Not.Null);
    }

    [Test]
    public async Task Train_BetterChallenger_IsPromotedAndSaysWhy()
    {
        var model = ModelNames.Unique("better");
        await TrainAsync(model, Shifted(SyntheticData.Csv(1000, withCity: true, seed: 1), 30));

        var challenger = await TrainAsync(model, SyntheticData.Csv(1000, withCity: true, seed: 2));

        Assert.That(challenger.Promotion.Promote, Is.True);
        Assert.That(challenger.Promotion.Champion!.Version, Is.EqualTo(1));
        Assert.That(challenger.Promotion.ChallengerRmse, Is.LessThan(challenger.Promotion.Champion.Rmse!.Value));
        Assert.That(challenger.Promotion.Reason, Does.Contain("beats production v1"));
        Assert.That(challenger.Published.Aliases, Is.EquivalentTo(new[] { "latest", "production" }));
        Assert.That((await PredictAsync(model)).Version, Is.EqualTo(2));
    }

    [Test]
    public async Task Train_WorseChallenger_StaysOutOfProduction()
    {
        var model = ModelNames.Unique("worse");
        await TrainAsync(model, SyntheticData.Csv(1000, withCity: true, seed: 1));

        // Heavy regularisation underfits: a challenger that is worse on the very data it was trained with.
        var challenger = await TrainAsync(model, SyntheticData.Csv(1000, withCity: true, seed: 2), query: "&l2=50");

        Assert.That(challenger.Promotion.Promote, Is.False);
        Assert.That(challenger.Promotion.ChallengerRmse, Is.GreaterThanOrEqualTo(challenger.Promotion.Champion!.Rmse!.Value));
        Assert.That(challenger.Promotion.Reason, Does.Contain("production stays v1"));
        Assert.That(challenger.Published.Aliases, Is.EqualTo(new[] { "latest" }));
        Assert.That(await _host.Get<ModelStore>().GetAliasAsync(model, ModelStore.Production, CancellationToken.None), Is.EqualTo(1));
        Assert.That((await PredictAsync(model)).Version, Is.EqualTo(1));
    }

    [TestCase("never", 1)]
    [TestCase("always", 2)]
    public async Task Train_PromotePolicy_OverridesTheComparison(string promote, int production)
    {
        var model = ModelNames.Unique("policy");
        await TrainAsync(model, SyntheticData.Csv(500, withCity: true, seed: 1));

        var result = await TrainAsync(model, SyntheticData.Csv(500, withCity: true, seed: 2), promote, "&l2=50");

        Assert.That(result.Promotion.Reason, Does.Contain($"promote={promote}"));
        Assert.That(await _host.Get<ModelStore>().GetAliasAsync(model, ModelStore.Production, CancellationToken.None), Is.EqualTo(production));
    }

    [Test]
    public async Task Train_ChampionWithOtherFeatures_IsNotComparedAndStays()
    {
        var model = ModelNames.Unique("schema");
        await TrainAsync(model, SyntheticData.Csv(500, withCity: true));

        var result = await TrainAsync(model, SyntheticData.Csv(500));

        Assert.That(result.Promotion.Promote, Is.False);
        Assert.That(result.Promotion.Reason, Does.Contain("its feature 'city' is not in this data"));
        Assert.That(result.Promotion.Champion!.Rmse, Is.Null);
    }

    [Test]
    public async Task SetAlias_RollsProductionBackAndRecordsWhoAndWhy()
    {
        var model = ModelNames.Unique("rollback");
        await TrainAsync(model, Shifted(SyntheticData.Csv(500, withCity: true, seed: 1), 30));
        await TrainAsync(model, SyntheticData.Csv(500, withCity: true, seed: 2));
        var before = await PredictAsync(model);

        var exchange = AliasPut(model, "production", 1);
        // The principal the host authenticated: here the key the release pipeline calls with.
        exchange.Context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(Callers.KeyIdClaim, "release-bot")], "WebJobsAuthLevel"));
        var rollback = await ModelsAsync(exchange, (f, r) => f.SetAliasAsync(r, model, "production", CancellationToken.None));
        var after = await PredictAsync(model);
        var history = await _host.Get<ModelStore>().GetHistoryAsync(model, CancellationToken.None);

        Assert.That(before.Version, Is.EqualTo(2));
        Assert.That(rollback.Status, Is.EqualTo(200), rollback.Body);
        Assert.That(rollback.Json.GetProperty("version").GetInt32(), Is.EqualTo(1));
        Assert.That(rollback.Headers.ETag.ToString(), Does.StartWith("\""));
        Assert.That(after.Version, Is.EqualTo(1));
        Assert.That(after.Predictions[0], Is.EqualTo(SyntheticData.Truth(2, -1, "Oslo") + 30).Within(0.5));
        Assert.That(history[^1], Is.EqualTo(history[^1] with { Alias = "production", From = 2, To = 1, By = "key:release-bot", Reason = "set through the API" }));
    }

    [Test]
    public async Task SetAlias_StaleIfMatch_Answers412()
    {
        var model = ModelNames.Unique("stale");
        await TrainAsync(model, SyntheticData.Csv(300, seed: 1));
        await TrainAsync(model, SyntheticData.Csv(300, seed: 2), "never");
        var read = await ModelsAsync(HttpExchange.Get($"/api/models/{model}/aliases/production"), (f, r) => f.GetAliasAsync(r, model, "production", CancellationToken.None));
        var etag = read.Headers.ETag.ToString();

        var racers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
        {
            var put = AliasPut(model, "production", 2);
            put.Request.Headers.IfMatch = etag;
            return ModelsAsync(put, (f, r) => f.SetAliasAsync(r, model, "production", CancellationToken.None));
        }));
        var late = AliasPut(model, "production", 1);
        late.Request.Headers.IfMatch = etag;
        var stale = await ModelsAsync(late, (f, r) => f.SetAliasAsync(r, model, "production", CancellationToken.None));

        Assert.That(racers.Select(r => r.Status), Is.EquivalentTo(new[] { 200, 412 }));
        Assert.That(stale.Status, Is.EqualTo(412));
        Assert.That(stale.Json.GetProperty("detail").GetString(), Does.Contain("now points at v2"));
        Assert.That(await _host.Get<ModelStore>().GetAliasAsync(model, ModelStore.Production, CancellationToken.None), Is.EqualTo(2));
    }

    [Test]
    public async Task SetAlias_UnknownVersion_Answers404()
    {
        var model = ModelNames.Unique("nover");
        await TrainAsync(model, SyntheticData.Csv(300));

        var response = await ModelsAsync(AliasPut(model, "production", 7), (f, r) => f.SetAliasAsync(r, model, "production", CancellationToken.None));

        Assert.That(response.Status, Is.EqualTo(404));
        Assert.That(response.Json.GetProperty("detail").GetString(), Does.Contain("has no version 7"));
    }

    [Test]
    public async Task DeleteVersion_RefusedWhileAliasedAndItsNumberIsNeverReused()
    {
        var model = ModelNames.Unique("delete");
        await TrainAsync(model, SyntheticData.Csv(300, seed: 1));
        await TrainAsync(model, SyntheticData.Csv(300, seed: 2), "never");
        await TrainAsync(model, SyntheticData.Csv(300, seed: 3), "never");

        var aliased = await ModelsAsync(HttpExchange.Delete($"/api/models/{model}/versions/1"), (f, r) => f.DeleteVersionAsync(r, model, "1", CancellationToken.None));
        var latest = await ModelsAsync(HttpExchange.Delete($"/api/models/{model}/versions/3"), (f, r) => f.DeleteVersionAsync(r, model, "3", CancellationToken.None));
        var free = await ModelsAsync(HttpExchange.Delete($"/api/models/{model}/versions/2"), (f, r) => f.DeleteVersionAsync(r, model, "2", CancellationToken.None));
        var gone = await ModelsAsync(HttpExchange.Get($"/api/models/{model}/versions/2"), (f, r) => f.GetVersionAsync(r, model, "2", CancellationToken.None));
        await ModelsAsync(AliasPut(model, "latest", 1), (f, r) => f.SetAliasAsync(r, model, "latest", CancellationToken.None));
        await ModelsAsync(HttpExchange.Delete($"/api/models/{model}/versions/3"), (f, r) => f.DeleteVersionAsync(r, model, "3", CancellationToken.None));
        var next = await TrainAsync(model, SyntheticData.Csv(300, seed: 4), "never");

        Assert.That(aliased.Status, Is.EqualTo(409));
        Assert.That(aliased.Json.GetProperty("detail").GetString(), Does.Contain("'production' points at"));
        Assert.That(latest.Status, Is.EqualTo(409));
        Assert.That(free.Status, Is.EqualTo(204));
        Assert.That(gone.Status, Is.EqualTo(404));
        Assert.That(next.Version, Is.EqualTo(4));
    }

    [Test]
    public async Task Train_TwoRunsRacing_GetDistinctVersionsAndConsistentAliases()
    {
        var model = ModelNames.Unique("racing");

        var results = await Task.WhenAll(
            TrainAsync(model, SyntheticData.Csv(800, withCity: true, seed: 1), "always"),
            TrainAsync(model, SyntheticData.Csv(800, withCity: true, seed: 2), "always"));
        var store = _host.Get<ModelStore>();

        Assert.That(results.Select(r => r.Version), Is.EquivalentTo(new[] { 1, 2 }));
        Assert.That(await store.GetAliasAsync(model, ModelStore.Latest, CancellationToken.None), Is.EqualTo(2));
        Assert.That(await store.GetAliasAsync(model, ModelStore.Production, CancellationToken.None), Is.EqualTo(2));
        Assert.That(results.Single(r => r.Version == 2).Published.Aliases, Is.EquivalentTo(new[] { "latest", "production" }));
    }

    [Test]
    public async Task Train_SameDatasetOptionsAndSeed_ReproducesThePredictions()
    {
        var model = ModelNames.Unique("reproduce");
        var csv = SyntheticData.Csv(2000, withCity: true, noise: 2, missingRate: 0.05);

        await TrainAsync(model, csv);
        await TrainAsync(model, csv, "never");
        var service = _host.Get<PredictionService>();
        var rows = """[{"x1": 0.5, "x2": 1.5, "city": "Bergen"}, {"x1": -4, "x2": null, "city": "Tromsø"}, {"x1": 3, "x2": 0, "city": "Reykjavík"}]""";
        var first = await service.PredictAsync(PredictRequests.Instances(model, rows, 1), CancellationToken.None);
        var second = await service.PredictAsync(PredictRequests.Instances(model, rows, 2), CancellationToken.None);
        var manifests = await _host.Get<ModelStore>().ListManifestsAsync(model, CancellationToken.None);

        Assert.That(second.Predictions, Is.EqualTo(first.Predictions));
        Assert.That(manifests[1].Dataset.Sha256, Is.EqualTo(manifests[0].Dataset.Sha256));
        Assert.That(manifests[1].Metrics, Is.EqualTo(manifests[0].Metrics));
    }

    private async Task<TrainingResult> TrainAsync(string model, string csv, string promote = "auto", string query = "")
    {
        var exchange = new HttpExchange("/api/train", "text/csv", csv, $"?model={model}&promote={promote}{query}");
        var started = await Functions.CallAsync<TrainFunction>(_host.Services, exchange, f => f.RunAsync(exchange.Request, _host.Client, CancellationToken.None));
        var id = started.Json.GetProperty("id").GetString()!;
        var finished = await _host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true);
        Assert.That(finished.RuntimeStatus, Is.EqualTo(OrchestrationRuntimeStatus.Completed), finished.FailureDetails?.ErrorMessage);
        return finished.ReadOutputAs<TrainingResult>()!;
    }

    private Task<PredictionResponse> PredictAsync(string model) =>
        _host.Get<PredictionService>().PredictAsync(PredictRequests.Instances(model, Instance), CancellationToken.None);

    private Task<HttpExchange> ModelsAsync(HttpExchange exchange, Func<ModelFunctions, Microsoft.AspNetCore.Http.HttpRequest, Task<Microsoft.AspNetCore.Mvc.IActionResult>> call) =>
        Functions.CallAsync<ModelFunctions>(_host.Services, exchange, f => call(f, exchange.Request));

    private static HttpExchange AliasPut(string model, string alias, int version) =>
        new($"/api/models/{model}/aliases/{alias}", "application/json", $$"""{"version": {{version}}}""", method: "PUT");

    /// <summary>The same rows with every label moved by <paramref name="by"/>: a model of another truth.</summary>
    private static string Shifted(string csv, double by)
    {
        var lines = csv.Split('\n').Select((line, i) =>
        {
            if (i == 0 || line.Length == 0)
            {
                return line;
            }

            var cut = line.LastIndexOf(',');
            return line[..(cut + 1)] + (double.Parse(line[(cut + 1)..], CultureInfo.InvariantCulture) + by).ToString("R", CultureInfo.InvariantCulture);
        });
        return new StringBuilder().AppendJoin('\n', lines).ToString();
    }
}
