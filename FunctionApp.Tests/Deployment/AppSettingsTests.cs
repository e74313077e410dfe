using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessML.Storage;
using ServerlessML.Tests.Infrastructure;

namespace ServerlessML.Tests.Deployment;

/// <summary>
/// The app settings <c>infra/</c> writes are the ones the app reads in Azure: exactly the rows of the README's
/// configuration table that say <c>infra/</c> writes them, each read by the Functions host, and enough for the app to
/// find its storage. A setting added to either side alone fails here.
/// </summary>
public sealed partial class AppSettingsTests
{
    private static readonly JsonDocumentOptions s_lenient = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    [Test]
    public async Task Infra_WritesExactlyTheSettingsTheTableSaysItWrites()
    {
        var snapshot = await DeploymentSnapshot.Default;

        Assert.That(snapshot.AppSettings.Keys, Is.EquivalentTo(Marked(ConfigurationReference.WrittenByInfra)));
    }

    [Test]
    public async Task WithTheScheduler_InfraAlsoWritesTheSchedulerSettings()
    {
        var snapshot = await DeploymentSnapshot.WithScheduler;

        Assert.That(
            snapshot.AppSettings.Keys,
            Is.EquivalentTo(Marked(ConfigurationReference.WrittenByInfra).Concat(Marked(ConfigurationReference.WrittenByInfraWithTheScheduler))));
    }

    [Test]
    public void EverySettingInfraWrites_IsOneSettingTheFunctionsHostReads()
    {
        var written = ConfigurationReference.Rows.Where(r =>
            r.InAzure is ConfigurationReference.WrittenByInfra or ConfigurationReference.WrittenByInfraWithTheScheduler).ToList();

        Assert.That(written, Is.Not.Empty);
        Assert.That(written.Select(r => r.ReadByTheFunctionsHost), Is.All.True);
        Assert.That(written.SelectMany(r => r.Names), Has.None.Contains("{"));
    }

    [Test]
    public async Task TheApp_FindsItsBlobStorage_InWhatInfraWrites_ThroughItsIdentity()
    {
        var snapshot = await DeploymentSnapshot.Default;
        var account = snapshot.Single("Microsoft.Storage/storageAccounts").GetProperty("name").GetString();
        // As the environment variables of the app in Azure: "__" separates sections.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(snapshot.AppSettings.Select(s => KeyValuePair.Create(s.Key.Replace("__", ":", StringComparison.Ordinal), (string?)s.Value)))
            .Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddServerlessML().BuildServiceProvider();

        var storage = services.GetRequiredService<IOptions<StorageOptions>>().Value;

        Assert.That(storage.ConnectionString, Is.Null);
        Assert.That(storage.ServiceUri, Is.EqualTo(new Uri($"https://{account}.blob.core.windows.net")));
    }

    [Test]
    public async Task SchedulerSettings_AreTheOnesTheReadmesHostJsonNames_ForTheTaskHubOfHostJson()
    {
        var snapshot = await DeploymentSnapshot.WithScheduler;
        var durableTask = SchedulerHostJson().GetProperty("durableTask");
        var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(Azurite.RepoRoot(), "host.json")), s_lenient);

        var hubSetting = Percent().Match(durableTask.GetProperty("hubName").GetString()!).Groups[1].Value;
        var connectionSetting = durableTask.GetProperty("storageProvider").GetProperty("connectionStringName").GetString();

        Assert.That(new[] { hubSetting, connectionSetting }, Is.EquivalentTo(Marked(ConfigurationReference.WrittenByInfraWithTheScheduler)));
        Assert.That(
            snapshot.AppSettings[hubSetting],
            Is.EqualTo(hostJson.RootElement.GetProperty("extensions").GetProperty("durableTask").GetProperty("hubName").GetString()));
        Assert.That(snapshot.AppSettings[connectionSetting!], Does.StartWith("[format('Endpoint={0};Authentication=ManagedIdentity'"));
    }

    private static IEnumerable<string> Marked(string inAzure) =>
        ConfigurationReference.Rows.Where(r => r.InAzure == inAzure).SelectMany(r => r.Names);

    // The host.json fragment the README gives for the Durable Task Scheduler (under "Durability and scale-out").
    private static JsonElement SchedulerHostJson()
    {
        var fragment = JsonBlock().Matches(Readme.Text).Select(m => m.Groups[1].Value)
            .Single(block => block.Contains("\"azureManaged\"", StringComparison.Ordinal));
        return JsonDocument.Parse("{" + fragment + "}", s_lenient).RootElement.Clone();
    }

    [GeneratedRegex("```json\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();

    [GeneratedRegex("^%([A-Za-z0-9_]+)%$")]
    private static partial Regex Percent();
}
