using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ServerlessML.ML;
using ServerlessML.Tests.Infrastructure;
using ServerlessML.Training;

namespace ServerlessML.Tests.Dashboard;

/// <summary>
/// The dashboard in a real browser (the system Chromium, headless) against the local host: a CSV trained from the page,
/// its plots, a prediction from the generated form, a rollback, a failed run and an API error as the user sees them.
/// Each test keeps screenshots as test attachments.
/// </summary>
public sealed class DashboardTests
{
    private const string Chromium = "/usr/bin/chromium";

    private LocalHostServer _server = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private IPage _page = null!;

    private string Base => _server.Client.BaseAddress!.ToString().TrimEnd('/');

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Assert.That(File.Exists(Chromium), Is.True, $"The browser tests need Chromium at {Chromium}: ./test.sh installs it (scripts/install-chromium.sh).");
        _server = await LocalHostServer.StartAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            // This machine's network is closed: Chromium's own background calls would only be refused.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _server.DisposeAsync();
    }

    [SetUp]
    public async Task OpenAsync()
    {
        _page = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        _page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
    }

    [TearDown]
    public async Task CloseAsync()
    {
        await ScreenshotAsync("last");
        await _page.CloseAsync();
    }

    [Test]
    public async Task UploadTrainAndWatch_ReachesCompleted_AndThePlotHasOneMarkPerSampledPoint()
    {
        var model = ModelNames.Unique("page");
        await _page.GotoAsync($"{Base}/#/train");

        await _page.SetInputFilesAsync("#file", Path.Combine(Azurite.RepoRoot(), "samples", "houses.csv"));
        await _page.SelectOptionAsync("#label", "price");
        await _page.FillAsync("#model", model);
        await _page.ClickAsync("button:text('Train')");
        await Expect(_page.Locator("#watch")).ToContainTextAsync("Completed", new() { Timeout = 60_000 });
        await ScreenshotAsync("train");
        var profile = await _page.Locator("#profile").InnerTextAsync();
        await _page.ClickAsync("a:text('See the model')");
        var marks = _page.Locator("[data-marks] circle");
        await Expect(marks.First).ToBeVisibleAsync(new() { Timeout = 15_000 });
        var sample = await _server.Client.GetFromJsonAsync<JsonElement>($"/api/models/{model}/versions/1/test-predictions");
        await ScreenshotAsync("model");

        Assert.That(profile, Does.Contain("400 rows").And.Contain("city").And.Contain("categorical"));
        Assert.That(await marks.CountAsync(), Is.EqualTo(sample.GetProperty("points").GetArrayLength()));
        Assert.That(sample.GetProperty("points").GetArrayLength(), Is.EqualTo(80));
        Assert.That(await _page.Locator("section[aria-label='Feature importance'] svg rect").CountAsync(), Is.GreaterThan(5), "a bar per feature or category level");
    }

    [Test]
    public async Task UploadParquet_ShowsItsProfile_AndTrainsWithTheChosenTrainerAndFolds()
    {
        var model = ModelNames.Unique("parquet");
        await _page.GotoAsync($"{Base}/#/train");

        await _page.SetInputFilesAsync("#file", Path.Combine(Azurite.RepoRoot(), "samples", "houses.parquet"));
        await Expect(_page.Locator("#profile")).ToContainTextAsync("400 rows", new() { Timeout = 30_000 });
        await ScreenshotAsync("parquet");
        var profile = await _page.Locator("#profile").InnerTextAsync();
        var label = await _page.Locator("#label option:checked").InnerTextAsync();
        await _page.FillAsync("#model", model);
        await _page.SelectOptionAsync("#trainer", "fasttree");
        await _page.FillAsync("#folds", "2");
        await _page.ClickAsync("button:text('Train')");
        await Expect(_page.Locator("#watch")).ToContainTextAsync("Completed", new() { Timeout = 90_000 });
        var manifest = await _server.Client.GetFromJsonAsync<JsonElement>($"/api/models/{model}/versions/1");

        Assert.That(profile, Does.Contain("7 columns").And.Contain("city").And.Contain("categorical"));
        Assert.That(label, Is.EqualTo("price"));
        Assert.That(await _page.Locator("#watch").InnerTextAsync(), Does.Contain("Cross-validated over 2 folds"));
        Assert.That(manifest.GetProperty("training").GetProperty("options").GetProperty("kind").GetString(), Is.EqualTo("fasttree"));
        Assert.That(manifest.GetProperty("crossValidation").GetProperty("folds").GetInt32(), Is.EqualTo(2));
    }

    [Test]
    public async Task PredictForm_FromTheManifest_ReturnsANumber()
    {
        var model = await TrainAsync(ModelNames.Unique("form"));

        await _page.GotoAsync($"{Base}/#/predict/{model}");
        await _page.FillAsync("#f-x1", "1.5");
        await _page.FillAsync("#f-x2", "-0.5");
        await _page.SelectOptionAsync("#f-city", "Oslo");
        await _page.ClickAsync("button:text('Predict')");
        var result = _page.Locator("#prediction .result");
        await Expect(result).ToContainTextAsync(new Regex(@"y: -?\d"));
        await ScreenshotAsync("predict");

        var value = double.Parse((await result.InnerTextAsync()).Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(value, Is.EqualTo(SyntheticData.Truth(1.5, -0.5, "Oslo")).Within(0.5));
        Assert.That(await _page.GetAttributeAsync("#f-x1", "placeholder"), Does.Match(@"-?\d.* – \d"), "the training range is the hint");
        Assert.That(await _page.Locator("label[for='f-city']").CountAsync(), Is.EqualTo(1), "every input has its label");
    }

    [Test]
    public async Task PredictForm_ValueOutsideTheTrainingRange_ShowsTheWarningAndTheContributions()
    {
        var model = await TrainAsync(ModelNames.Unique("explain"));

        await _page.GotoAsync($"{Base}/#/predict/{model}");
        await _page.FillAsync("#f-x1", "50");
        await _page.FillAsync("#f-x2", "0");
        await _page.SelectOptionAsync("#f-city", "Oslo");
        await _page.ClickAsync("button:text('Predict')");
        var warning = _page.Locator("#prediction ul.warn li");
        await Expect(warning).ToContainTextAsync("x1: 50 is above the training range");
        await ScreenshotAsync("predict-explained");

        var contributions = await _page.Locator("#prediction svg desc").TextContentAsync();
        Assert.That(contributions, Does.Contain("x1:").And.Contain("x2:").And.Contain("city:"));
    }

    [Test]
    public async Task Rollback_FromTheModelPage_ChangesWhatPredictServes()
    {
        var model = await TrainAsync(ModelNames.Unique("rollback"));
        await TrainAsync(model, seed: 7, promote: "always");
        Assert.That(await PredictedVersionAsync(model), Is.EqualTo(2));

        await _page.GotoAsync($"{Base}/#/models/{model}");
        await _page.Locator("tr[data-version='1'] button:text('Make production')").ClickAsync();
        await Expect(_page.Locator("tr[data-version='1']")).ToContainTextAsync("production");
        await ScreenshotAsync("rollback");

        Assert.That(await PredictedVersionAsync(model), Is.EqualTo(1));
    }

    [Test]
    public async Task FailedRun_ShowsItsReason()
    {
        var client = _server.Services.GetRequiredService<DurableTaskClient>();
        var runId = $"doomed-{Guid.NewGuid():N}"[..20];
        var request = new TrainingRequest(ModelNames.Unique("doomed"), "datasets/no-such-dataset.csv", "y", null, 0.2, 42, new TrainerOptions());
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(TrainingOrchestration), request, new StartOrchestrationOptions(runId));
        await StatusPoll.UntilAsync(_server.Client, new Uri($"/runtime/webhooks/durabletask/instances/{runId}", UriKind.Relative), "Failed", "Completed");

        await _page.GotoAsync($"{Base}/#/runs");
        var row = _page.Locator("tr", new() { HasText = runId[..12] });
        await Expect(row).ToContainTextAsync("Failed");
        await ScreenshotAsync("runs");

        Assert.That(await row.InnerTextAsync(), Does.Contain("does not exist any more"));
    }

    [Test]
    public async Task ApiError_IsShownAsItsDetail()
    {
        await _page.GotoAsync($"{Base}/#/models/no-such-model");

        await Expect(_page.Locator("#error")).ToContainTextAsync("There is no model 'no-such-model'");
    }

    [Test]
    public async Task Page_OnAPhone_InDark_FitsTheScreen()
    {
        await TrainAsync(ModelNames.Unique("phone"));
        var phone = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = 390, Height = 844 }, ColorScheme = ColorScheme.Dark });
        try
        {
            await phone.GotoAsync($"{Base}/#/models");
            await Expect(phone.Locator("main table")).ToBeVisibleAsync();
            var overflow = await phone.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth + 1");
            var theme = await phone.EvaluateAsync<string>("document.documentElement.dataset.theme");
            await phone.ScreenshotAsync(new() { Path = ScreenshotPath("phone-dark") });
            TestContext.AddTestAttachment(ScreenshotPath("phone-dark"));

            Assert.That(overflow, Is.False, "the page does not scroll sideways; wide tables scroll in their own box");
            Assert.That(theme, Is.EqualTo("dark"));
        }
        finally
        {
            await phone.CloseAsync();
        }
    }

    private async Task<string> TrainAsync(string model, int seed = 42, string promote = "auto")
    {
        using var response = await _server.Client.PostAsync(
            $"/api/train?model={model}&seed={seed}&promote={promote}&wait=60", new StringContent(SyntheticData.Csv(400, withCity: true, seed: seed), Encoding.UTF8, "text/csv"));
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());
        return model;
    }

    private async Task<int> PredictedVersionAsync(string model)
    {
        using var response = await _server.Client.PostAsync("/api/predict", new StringContent(
            $$"""{"model": "{{model}}", "instances": [{"x1": 1, "x2": 2, "city": "Oslo"}]}""", Encoding.UTF8, "application/json"));
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32();
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private async Task ScreenshotAsync(string name)
    {
        var path = ScreenshotPath(name);
        await _page.ScreenshotAsync(new() { Path = path, FullPage = true });
        TestContext.AddTestAttachment(path);
    }

    private static string ScreenshotPath(string name)
    {
        var directory = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, $"{TestContext.CurrentContext.Test.Name}-{name}.png");
    }
}
