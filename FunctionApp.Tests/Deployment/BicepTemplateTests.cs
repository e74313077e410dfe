using System.Text.RegularExpressions;
using ServerlessML.Tests.Infrastructure;

namespace ServerlessML.Tests.Deployment;

/// <summary>
/// <c>infra/</c> builds and lints clean with the Bicep CLI, offline: no error, no warning, no note (bicepconfig.json
/// turns off the rules that would need the network or today's date).
/// </summary>
public sealed partial class BicepTemplateTests
{
    [Test]
    public async Task Build_MainTemplate_CompilesWithoutAnyDiagnostic()
    {
        var result = await BicepCli.RunAsync("build", BicepCli.MainTemplate, "--stdout");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Errors, Is.Empty, "Bicep's diagnostics, warnings included");
        Assert.That(result.Output, Does.Contain("\"$schema\""));
    }

    [Test]
    public async Task Lint_EveryTemplate_ReportsNothing()
    {
        // Warnings leave the exit code at 0: the output is what tells.
        var result = await BicepCli.RunAsync("lint", "--pattern", "*.bicep");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Errors + result.Output, Is.Empty);
    }

    [Test]
    public void Modules_AreFilesOfInfra_NotRegistryModules()
    {
        // A registry module (br:, ts:) is fetched at build time, and a machine that has it cached would still pass:
        // CI has no network for it.
        var modules = Directory.GetFiles(BicepCli.InfraDirectory, "*.bicep")
            .SelectMany(File.ReadLines)
            .Select(line => ModuleReference().Match(line))
            .Where(match => match.Success)
            .Select(match => match.Groups["path"].Value)
            .ToList();

        Assert.That(modules, Is.Not.Empty);
        Assert.That(modules, Is.All.Matches<string>(path => File.Exists(Path.Combine(BicepCli.InfraDirectory, path))));
    }

    [GeneratedRegex(@"^\s*module\s+\w+\s+'(?<path>[^']+)'")]
    private static partial Regex ModuleReference();
}
