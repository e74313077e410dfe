using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ServerlessML.Tests.Infrastructure;

/// <summary>
/// What a deployment of <c>infra/main.bicep</c> would create, as <c>bicep snapshot</c> predicts it offline: every
/// resource, with what is known before the deployment evaluated (names, app settings, role assignments) and an ARM
/// expression for what only Azure knows (a principal id, an endpoint). The parameters are azd's: those of
/// <c>infra/main.parameters.json</c>, with an azd environment's values put in as azd puts them.
/// </summary>
internal sealed partial class DeploymentSnapshot
{
    public const string SubscriptionId = "00000000-0000-0000-0000-00000000000a";
    public const string TenantId = "00000000-0000-0000-0000-00000000000b";
    public const string Location = "swedencentral";
    public const string EnvironmentName = "ci";

    /// <summary>The person running <c>azd up</c> (azd's <c>AZURE_PRINCIPAL_ID</c>).</summary>
    public const string UserPrincipalId = "00000000-0000-0000-0000-00000000000c";

    private static readonly Lazy<Task<DeploymentSnapshot>> s_default = new(() => CreateAsync(new Dictionary<string, string>
    {
        ["AZURE_ENV_NAME"] = EnvironmentName,
        ["AZURE_LOCATION"] = Location,
        ["AZURE_PRINCIPAL_ID"] = UserPrincipalId,
    }));

    private static readonly Lazy<Task<DeploymentSnapshot>> s_withScheduler = new(() => CreateAsync(new Dictionary<string, string>
    {
        ["AZURE_ENV_NAME"] = EnvironmentName,
        ["AZURE_LOCATION"] = Location,
        ["AZURE_PRINCIPAL_ID"] = UserPrincipalId,
        ["USE_DURABLE_TASK_SCHEDULER"] = "true",
    }));

    private DeploymentSnapshot(JsonElement snapshot)
    {
        Resources = snapshot.GetProperty("predictedResources").EnumerateArray().ToArray();
        Outputs = snapshot.GetProperty("outputs");
    }

    /// <summary><c>azd up</c> in a new environment, with nothing set but what azd sets itself.</summary>
    public static Task<DeploymentSnapshot> Default => s_default.Value;

    /// <summary>The same with <c>azd env set USE_DURABLE_TASK_SCHEDULER true</c>.</summary>
    public static Task<DeploymentSnapshot> WithScheduler => s_withScheduler.Value;

    public IReadOnlyList<JsonElement> Resources { get; }

    public JsonElement Outputs { get; }

    public IEnumerable<JsonElement> OfType(string type) =>
        Resources.Where(r => string.Equals(r.GetProperty("type").GetString(), type, StringComparison.OrdinalIgnoreCase));

    public JsonElement Single(string type) => OfType(type).Single();

    /// <summary>The function app's application settings, from the site and from its <c>appsettings</c> config.</summary>
    public IReadOnlyDictionary<string, string> AppSettings
    {
        get
        {
            var settings = new Dictionary<string, string>(StringComparer.Ordinal);
            var site = Single("Microsoft.Web/sites").GetProperty("properties");
            if (site.TryGetProperty("siteConfig", out var siteConfig) && siteConfig.TryGetProperty("appSettings", out var list))
            {
                foreach (var setting in list.EnumerateArray())
                {
                    settings.Add(setting.GetProperty("name").GetString()!, setting.GetProperty("value").ToString());
                }
            }

            foreach (var config in OfType("Microsoft.Web/sites/config").Where(c => c.GetProperty("name").GetString()!.EndsWith("/appsettings", StringComparison.Ordinal)))
            {
                var properties = config.GetProperty("properties");
                if (properties.ValueKind != JsonValueKind.Object)
                {
                    throw new InvalidOperationException(
                        $"The app settings are one expression the snapshot cannot evaluate ({properties}): keep their names known before deployment.");
                }

                foreach (var setting in properties.EnumerateObject())
                {
                    settings.Add(setting.Name, setting.Value.ToString());
                }
            }

            return settings;
        }
    }

    /// <summary>Every role assignment: what it is scoped to, the role's id, and the principal (an expression for the app's).</summary>
    public IEnumerable<RoleAssignment> RoleAssignments => OfType("Microsoft.Authorization/roleAssignments").Select(RoleAssignment.From);

    public static async Task<DeploymentSnapshot> CreateAsync(IReadOnlyDictionary<string, string> azdEnvironment)
    {
        var build = await BicepCli.RunAsync("build", BicepCli.MainTemplate, "--stdout");
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"infra/main.bicep does not build: {build}");
        }

        var template = JsonDocument.Parse(build.Output).RootElement.Clone();
        var directory = Directory.CreateTempSubdirectory("serverlessml-snapshot-");
        try
        {
            var parameters = Path.Combine(directory.FullName, "main.bicepparam");
            await File.WriteAllTextAsync(parameters, ParametersFile(directory.FullName, template, azdEnvironment));
            var snapshot = await BicepCli.RunAsync(
                "snapshot", parameters, "--mode", "overwrite", "--config", BicepCli.Config,
                "--subscription-id", SubscriptionId, "--tenant-id", TenantId, "--location", Location, "--deployment-name", "azd");
            if (snapshot.ExitCode != 0)
            {
                throw new InvalidOperationException($"bicep snapshot failed: {snapshot}");
            }

            var json = await File.ReadAllTextAsync(Path.Combine(directory.FullName, "main.snapshot.json"));
            return new DeploymentSnapshot(JsonDocument.Parse(json).RootElement.Clone());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>
    /// main.parameters.json as azd reads it: <c>${NAME}</c> is the environment's value (empty when unset) and
    /// <c>${NAME=default}</c> the default when unset, converted to the template parameter's type.
    /// </summary>
    public static IReadOnlyDictionary<string, string> AzdParameterValues(IReadOnlyDictionary<string, string> azdEnvironment)
    {
        var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(BicepCli.InfraDirectory, "main.parameters.json")));
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in file.RootElement.GetProperty("parameters").EnumerateObject())
        {
            var text = parameter.Value.GetProperty("value").GetString()!;
            values[parameter.Name] = Substitution().Replace(text, match =>
                azdEnvironment.TryGetValue(match.Groups["name"].Value, out var value) ? value
                : match.Groups["default"].Success ? match.Groups["default"].Value
                : "");
        }

        return values;
    }

    private static string ParametersFile(string directory, JsonElement template, IReadOnlyDictionary<string, string> azdEnvironment)
    {
        var types = template.GetProperty("parameters");
        var file = new StringBuilder();
        file.Append(CultureInfo.InvariantCulture, $"using '{Path.GetRelativePath(directory, BicepCli.MainTemplate).Replace('\\', '/')}'\n");
        foreach (var (name, value) in AzdParameterValues(azdEnvironment))
        {
            var type = types.TryGetProperty(name, out var declared) ? declared.GetProperty("type").GetString() : "string";
            var literal = type switch
            {
                "bool" => bool.Parse(value) ? "true" : "false",
                "int" => int.Parse(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
                _ => $"'{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}'",
            };
            file.Append(CultureInfo.InvariantCulture, $"param {name} = {literal}\n");
        }

        return file.ToString();
    }

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(=(?<default>[^}]*))?\}")]
    private static partial Regex Substitution();
}

/// <summary>A role assignment of the snapshot.</summary>
/// <param name="Scope">The resource id it is scoped to.</param>
/// <param name="Role">The role definition's id (a GUID).</param>
/// <param name="Principal">The principal id, or the expression that gives it.</param>
internal sealed partial record RoleAssignment(string Scope, string Role, string Principal)
{
    public static RoleAssignment From(JsonElement resource)
    {
        var id = resource.GetProperty("id").GetString()!;
        var properties = resource.GetProperty("properties");
        var scope = ExtensionScope().Match(id) is { Success: true } extension
            ? extension.Groups["scope"].Value
            : id[..id.IndexOf("/providers/Microsoft.Authorization/roleAssignments/", StringComparison.OrdinalIgnoreCase)];
        var role = properties.GetProperty("roleDefinitionId").GetString()!;
        return new RoleAssignment(scope, role[(role.LastIndexOf('/') + 1)..], properties.GetProperty("principalId").GetString()!);
    }

    // A role assignment whose name is only known at deployment: [extensionResourceId('{scope}', 'Microsoft.Authorization/roleAssignments', guid(…))]
    [GeneratedRegex(@"^\[extensionResourceId\('(?<scope>[^']+)', 'Microsoft\.Authorization/roleAssignments'")]
    private static partial Regex ExtensionScope();
}
