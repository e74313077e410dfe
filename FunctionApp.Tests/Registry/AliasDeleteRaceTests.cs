using System.Globalization;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using ServerlessML.Http;
using ServerlessML.Storage;
using ServerlessML.Tests.Infrastructure;

namespace ServerlessML.Tests.Registry;

/// <summary>
/// Moving an alias onto a version while that version is deleted, at the same moment, from two app instances that
/// share nothing but the storage account (as two Functions hosts would).
/// </summary>
public sealed class AliasDeleteRaceTests
{
    private const int Rounds = 30;

    private ServiceProvider _mover = null!;
    private ServiceProvider _deleter = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        _mover = AppServices.Build();
        _deleter = AppServices.Build();
    }

    [OneTimeTearDown]
    public async Task TearDownAsync()
    {
        await _mover.DisposeAsync();
        await _deleter.DisposeAsync();
    }

    /// <summary>The alias is moved through the API (PUT) or as a run's auto-promotion does (a conditional move).</summary>
    [TestCase("api")]
    [TestCase("promotion")]
    public async Task MoveAliasAndDeleteVersion_AtTheSameMoment_ExactlyOneWinsAndNoAliasIsLeftOnAMissingVersion(string mover)
    {
        var model = ModelNames.Unique("race");
        var store = _mover.GetRequiredService<ModelStore>();
        // v1 is never fought over; round r fights over v(r + 2). Even rounds move an alias that exists (on v1),
        // odd rounds create one.
        for (var i = 0; i <= Rounds; i++)
        {
            await Manifests.PublishAsync(store, model, $"run-{i}");
        }

        foreach (var round in Enumerable.Range(0, Rounds).Where(r => r % 2 == 0))
        {
            await store.SetAliasAsync(model, Alias(round), 1, ifMatch: null, by: null, CancellationToken.None);
        }

        // Both instances warm (containers known, connections open), so that neither starts a step behind.
        await _deleter.GetRequiredService<ModelStore>().ListAliasesAsync(model, CancellationToken.None);

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var races = Enumerable.Range(0, Rounds).Select(round => (
            Put: Task.Run(async () =>
            {
                await start.Task;
                await Task.Delay(Stagger(round, 0));
                return mover == "api" ? await PutAsync(model, round) : await PromoteAsync(model, round);
            }),
            Delete: Task.Run(async () =>
            {
                await start.Task;
                await Task.Delay(Stagger(round, 1));
                var delete = HttpExchange.Delete($"/api/models/{model}/versions/{Version(round)}");
                var answer = await Functions.CallAsync<ModelFunctions>(_deleter, delete, f => f.DeleteVersionAsync(delete.Request, model, Version(round).ToString(CultureInfo.InvariantCulture), CancellationToken.None));
                return (answer.Status, answer.Body);
            }))).ToArray();
        start.SetResult();
        await Task.WhenAll(races.SelectMany(r => new[] { r.Put, r.Delete }));

        var aliases = await store.ListAliasesAsync(model, CancellationToken.None);
        TestContext.Out.WriteLine(string.Join(", ", races.GroupBy(r => (r.Put.Result.Status, r.Delete.Result.Status)).Select(g => $"(move, delete) {g.Key}: {g.Count()}")));
        foreach (var (race, round) in races.Select((race, round) => (race, round)))
        {
            var (put, delete) = (race.Put.Result, race.Delete.Result);
            var outcome = (put.Status, delete.Status);
            Assert.That(outcome, Is.EqualTo((200, 409)).Or.EqualTo((404, 204)), $"round {round}: move {put.Body} DELETE {delete.Body}");
            Assert.That(await ExistsAsync(model, Version(round)), Is.EqualTo(outcome == (200, 409)), $"round {round}");
            Assert.That(aliases.GetValueOrDefault(Alias(round)), Is.EqualTo(outcome == (200, 409) ? Version(round) : round % 2 == 0 ? 1 : 0), $"round {round}");
        }

        foreach (var (alias, version) in aliases)
        {
            Assert.That(await ExistsAsync(model, version), Is.True, $"alias {alias} points at v{version}, which is gone");
        }
    }

    private static string Alias(int round) => $"r{round}";

    // A few milliseconds' head start for one side or the other, different in every round (and the same in every run),
    // so that the rounds between them meet at many different points of each other's requests.
    private static TimeSpan Stagger(int round, int side) => TimeSpan.FromMilliseconds(new Random((round * 2) + side).Next(12));

    private async Task<(int Status, string Body)> PutAsync(string model, int round)
    {
        var put = new HttpExchange($"/api/models/{model}/aliases/{Alias(round)}", "application/json", $$"""{"version": {{Version(round)}}}""", method: "PUT");
        var answer = await Functions.CallAsync<ModelFunctions>(_mover, put, f => f.SetAliasAsync(put.Request, model, Alias(round), CancellationToken.None));
        return (answer.Status, answer.Body);
    }

    // As PublishModel promotes: only while the alias is where it was (v1 for even rounds, nowhere for odd ones).
    private async Task<(int Status, string Body)> PromoteAsync(string model, int round)
    {
        try
        {
            var moved = await _mover.GetRequiredService<ModelStore>().MoveAliasIfAsync(model, Alias(round), round % 2 == 0 ? 1 : null, Version(round), "test", CancellationToken.None);
            return (moved ? 200 : 409, $"moved: {moved}");
        }
        catch (NotFoundException e)
        {
            return (404, e.Message);
        }
    }

    private static int Version(int round) => round + 2;

    private async Task<bool> ExistsAsync(string model, int version)
    {
        var container = _mover.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(BlobContainers.Models);
        return await container.GetBlobClient(ModelStore.ManifestPath(model, version).Name).ExistsAsync()
            && await container.GetBlobClient(ModelStore.ModelPath(model, version).Name).ExistsAsync();
    }
}
