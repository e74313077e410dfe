using System.Text.Json;
using System.Text.RegularExpressions;
using ServerlessML.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace ServerlessML.Tests.Deployment;

/// <summary>
/// <c>azure.yaml</c> and the GitHub workflow, parsed as YAML: <c>azd up</c> finds the infrastructure to provision and
/// the project to deploy to the app <c>infra/</c> creates; the workflow runs <c>./test.sh</c> on every push and pull
/// request, and <c>azd deploy</c> after it on main only. Neither can run here, so this is what checks them.
/// </summary>
public sealed partial class AzdAndWorkflowTests
{
    private static readonly string s_root = Azurite.RepoRoot();

    [Test]
    public async Task AzureYaml_DeploysTheFunctionAppProject_ToTheAppInfraTagsForIt()
    {
        var project = YamlFile.Load("azure.yaml");
        var snapshot = await DeploymentSnapshot.Default;

        var services = project.Map("services");
        var name = services.Keys().Single();
        var service = services.Map(name);
        var directory = Path.GetFullPath(Path.Combine(s_root, service.Scalar("project")!));
        var tags = snapshot.Single("Microsoft.Web/sites").GetProperty("tags");
        Assert.That(service.Scalar("language"), Is.EqualTo("dotnet"));
        Assert.That(service.Scalar("host"), Is.EqualTo("function"));
        Assert.That(Path.Combine(directory, "FunctionApp.csproj"), Does.Exist);
        Assert.That(tags.GetProperty("azd-service-name").GetString(), Is.EqualTo(name));
        // azd's default infrastructure: infra/main.bicep with infra/main.parameters.json.
        Assert.That(project.Has("infra"), Is.False);
        Assert.That(Path.Combine(s_root, "infra", "main.parameters.json"), Does.Exist);
    }

    [Test]
    public async Task AzdParameters_GiveEveryRequiredParameter_AndOnlyParametersMainBicepHas()
    {
        var build = await BicepCli.RunAsync("build", BicepCli.MainTemplate, "--stdout");
        var declared = JsonDocument.Parse(build.Output).RootElement.GetProperty("parameters").EnumerateObject().ToList();

        var given = DeploymentSnapshot.AzdParameterValues(new Dictionary<string, string>()).Keys;

        Assert.That(given, Is.SubsetOf(declared.Select(p => p.Name)));
        Assert.That(given, Is.SupersetOf(declared.Where(p => !p.Value.TryGetProperty("defaultValue", out _)).Select(p => p.Name)));
    }

    [Test]
    public void Workflow_OnEveryPushAndPullRequest_RunsTheTestSuite()
    {
        var workflow = YamlFile.Load(".github/workflows/ci.yml");

        var test = workflow.Map("jobs").Map("test");
        var steps = test.Sequence("steps").ToList();
        Assert.That(workflow.Map("on").Keys(), Is.SupersetOf(new[] { "push", "pull_request" }));
        Assert.That(((YamlMappingNode)workflow.Map("on")).Children[new YamlScalarNode("push")], Is.InstanceOf<YamlScalarNode>(), "tests run on a push to any branch");
        Assert.That(test.Scalar("runs-on"), Does.StartWith("ubuntu-"), "the Bicep CLI the tests restore is for linux-x64");
        Assert.That(steps.Select(s => s.Scalar("run")), Does.Contain("./test.sh"));
        Assert.That(Uses(steps, "actions/setup-dotnet").Map("with").Scalar("global-json-file"), Is.EqualTo("global.json"));
        Assert.That(Uses(steps, "actions/setup-node").Map("with").Scalar("node-version"), Is.EqualTo("20"));
        Assert.That(Path.Combine(s_root, "global.json"), Does.Exist);
    }

    [Test]
    public void Workflow_DeploysWithAzd_OnlyOnAPushToMain_AfterTheTests()
    {
        var workflow = YamlFile.Load(".github/workflows/ci.yml");

        var deploy = workflow.Map("jobs").Map("deploy");
        var steps = deploy.Sequence("steps").ToList();
        var run = string.Join("\n", steps.Select(s => s.Scalar("run")).OfType<string>());
        Assert.That(deploy.Scalar("needs"), Is.EqualTo("test"));
        Assert.That(deploy.Scalar("if"), Is.EqualTo("github.event_name == 'push' && github.ref == 'refs/heads/main'"));
        Assert.That(deploy.Map("permissions").Scalar("id-token"), Is.EqualTo("write"), "a federated credential, no stored secret");
        Assert.That(Uses(steps, "azure/login").Map("with").Keys(), Is.EquivalentTo(new[] { "client-id", "tenant-id", "subscription-id" }));
        Assert.That(Uses(steps, "Azure/setup-azd"), Is.Not.Null);
        Assert.That(run, Does.Contain("azd config set auth.useAzCliAuth true").And.Contain("azd deploy --no-prompt"));
        Assert.That(deploy.Map("env").Keys(), Is.SupersetOf(new[] { "AZURE_ENV_NAME", "AZURE_LOCATION", "AZURE_SUBSCRIPTION_ID" }));
    }

    [Test]
    public void Workflow_EveryActionIsAVersionOfIt_NotABranch()
    {
        var workflow = YamlFile.Load(".github/workflows/ci.yml");

        var uses = workflow.Map("jobs").Keys().SelectMany(job => workflow.Map("jobs").Map(job).Sequence("steps"))
            .Select(step => step.Scalar("uses")).OfType<string>().ToList();

        Assert.That(uses, Is.Not.Empty);
        Assert.That(uses, Is.All.Matches(@"^[\w.-]+/[\w.-]+@v\d+$"));
    }

    [Test]
    public void Workflow_NeedsOnlyVariablesTheReadmeTellsHowToSet()
    {
        var workflow = File.ReadAllText(Path.Combine(s_root, ".github", "workflows", "ci.yml"));
        var readme = Readme.Section("Deploy to Azure");

        var needed = GitHubContext().Matches(workflow).Select(m => m.Groups["name"].Value).Distinct().ToList();

        Assert.That(needed, Is.Not.Empty);
        Assert.That(needed, Is.All.Matches<string>(name => readme.Contains($"| `{name}` |", StringComparison.Ordinal)));
    }

    private static YamlNode Uses(IEnumerable<YamlNode> steps, string action) =>
        steps.Single(s => s.Scalar("uses")?.StartsWith(action + "@", StringComparison.Ordinal) == true);

    [GeneratedRegex(@"\$\{\{\s*(vars|secrets)\.(?<name>\w+)\s*\}\}")]
    private static partial Regex GitHubContext();
}
