using System.Text.Json;
using ServerlessML.Tests.Infrastructure;

namespace ServerlessML.Tests.Deployment;

/// <summary>
/// What <c>azd up</c> would create, from the offline snapshot of <c>infra/main.bicep</c> with azd's parameters: a Flex
/// Consumption .NET 10 isolated app with a system-assigned identity, a storage account it reaches through that
/// identity and no key, Application Insights on Log Analytics, and the Durable Task Scheduler only when asked for.
/// </summary>
public sealed class AzureResourcesTests
{
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string DurableTaskDataContributor = "0ad04412-c4d5-4796-b79c-f76d14c8d402";

    [Test]
    public async Task FunctionApp_RunsDotNet10IsolatedOnFlexConsumption()
    {
        var snapshot = await DeploymentSnapshot.Default;

        var site = snapshot.Single("Microsoft.Web/sites");
        var plan = snapshot.Single("Microsoft.Web/serverfarms");
        var config = site.GetProperty("properties").GetProperty("functionAppConfig");
        Assert.That(site.GetProperty("kind").GetString(), Is.EqualTo("functionapp,linux"));
        Assert.That(plan.GetProperty("sku").GetProperty("name").GetString(), Is.EqualTo("FC1"));
        Assert.That(plan.GetProperty("sku").GetProperty("tier").GetString(), Is.EqualTo("FlexConsumption"));
        Assert.That(site.GetProperty("properties").GetProperty("serverFarmId").GetString(), Is.EqualTo(plan.GetProperty("id").GetString()));
        Assert.That(config.GetProperty("runtime").GetProperty("name").GetString(), Is.EqualTo("dotnet-isolated"));
        Assert.That(config.GetProperty("runtime").GetProperty("version").GetString(), Is.EqualTo("10.0"));
        Assert.That(config.GetProperty("scaleAndConcurrency").GetProperty("instanceMemoryMB").GetInt32(), Is.EqualTo(4096));
        Assert.That(site.GetProperty("properties").GetProperty("httpsOnly").GetBoolean(), Is.True);
    }

    [Test]
    public async Task FunctionApp_HasASystemAssignedIdentityAndNoPublishingPassword()
    {
        var snapshot = await DeploymentSnapshot.Default;

        var site = snapshot.Single("Microsoft.Web/sites");
        var policies = snapshot.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies")
            .ToDictionary(p => p.GetProperty("name").GetString()!.Split('/')[^1], p => p.GetProperty("properties").GetProperty("allow").GetBoolean());
        Assert.That(site.GetProperty("identity").GetProperty("type").GetString(), Is.EqualTo("SystemAssigned"));
        Assert.That(policies, Is.EqualTo(new Dictionary<string, bool> { ["ftp"] = false, ["scm"] = false }));
    }

    [Test]
    public async Task FunctionApp_RunsThePackageFromAContainerOfItsStorageAccount_WithItsIdentity()
    {
        var snapshot = await DeploymentSnapshot.Default;

        var storage = snapshot.Single("Microsoft.Web/sites").GetProperty("properties")
            .GetProperty("functionAppConfig").GetProperty("deployment").GetProperty("storage");
        var account = snapshot.Single("Microsoft.Storage/storageAccounts").GetProperty("id").GetString()!;
        var container = snapshot.Single("Microsoft.Storage/storageAccounts/blobServices/containers").GetProperty("name").GetString()!.Split('/')[^1];
        Assert.That(storage.GetProperty("type").GetString(), Is.EqualTo("blobContainer"));
        Assert.That(storage.GetProperty("authentication").GetProperty("type").GetString(), Is.EqualTo("SystemAssignedIdentity"));
        Assert.That(storage.GetProperty("value").GetString(), Does.Contain($"reference('{account}'").And.Contain(".primaryEndpoints.blob").And.Contain($"'{container}'"));
    }

    [Test]
    public async Task StorageAccount_AcceptsNoKeyAndNoAnonymousReader()
    {
        var snapshot = await DeploymentSnapshot.Default;

        var properties = snapshot.Single("Microsoft.Storage/storageAccounts").GetProperty("properties");
        Assert.That(properties.GetProperty("allowSharedKeyAccess").GetBoolean(), Is.False);
        Assert.That(properties.GetProperty("allowBlobPublicAccess").GetBoolean(), Is.False);
        Assert.That(properties.GetProperty("supportsHttpsTrafficOnly").GetBoolean(), Is.True);
        Assert.That(properties.GetProperty("minimumTlsVersion").GetString(), Is.EqualTo("TLS1_2"));
    }

    [Test]
    public async Task AppIdentity_MayUseTheBlobsQueuesAndTablesOfTheStorageAccount()
    {
        var snapshot = await DeploymentSnapshot.Default;

        var account = snapshot.Single("Microsoft.Storage/storageAccounts").GetProperty("id").GetString();
        var roles = snapshot.RoleAssignments.Where(IsTheApps(snapshot)).ToList();
        Assert.That(roles.Select(r => r.Scope), Is.All.EqualTo(account));
        Assert.That(roles.Select(r => r.Role), Is.EquivalentTo(new[] { StorageBlobDataOwner, StorageQueueDataContributor, StorageTableDataContributor }));
    }

    [Test]
    public async Task Deployer_MayUseTheBlobs_AndNothingElse()
    {
        var snapshot = await DeploymentSnapshot.Default;

        var account = snapshot.Single("Microsoft.Storage/storageAccounts").GetProperty("id").GetString()!;
        var roles = snapshot.RoleAssignments.Where(r => r.Principal == DeploymentSnapshot.UserPrincipalId);
        Assert.That(roles, Is.EqualTo(new[] { new RoleAssignment(account, StorageBlobDataContributor, DeploymentSnapshot.UserPrincipalId) }));
    }

    [Test]
    public async Task ApplicationInsights_KeepsItsDataInTheLogAnalyticsWorkspace()
    {
        var snapshot = await DeploymentSnapshot.Default;

        var workspace = snapshot.Single("Microsoft.OperationalInsights/workspaces").GetProperty("id").GetString();
        var insights = snapshot.Single("Microsoft.Insights/components").GetProperty("properties");
        Assert.That(insights.GetProperty("WorkspaceResourceId").GetString(), Is.EqualTo(workspace));
    }

    [Test]
    public async Task DurableTaskScheduler_ByDefault_IsNotDeployed()
    {
        var snapshot = await DeploymentSnapshot.Default;

        Assert.That(snapshot.Resources.Select(Type), Has.None.StartsWith("Microsoft.DurableTask/"));
        Assert.That(snapshot.RoleAssignments.Select(r => r.Role), Has.None.EqualTo(DurableTaskDataContributor));
    }

    [Test]
    public async Task DurableTaskScheduler_WhenAskedFor_HasTheTaskHubAndTheAppMayUseIt()
    {
        var snapshot = await DeploymentSnapshot.WithScheduler;

        var scheduler = snapshot.Single("Microsoft.DurableTask/schedulers");
        var taskHub = snapshot.Single("Microsoft.DurableTask/schedulers/taskHubs");
        var schedulerRoles = snapshot.RoleAssignments.Where(r => r.Role == DurableTaskDataContributor).ToList();
        Assert.That(taskHub.GetProperty("id").GetString(), Does.StartWith(scheduler.GetProperty("id").GetString() + "/taskHubs/"));
        Assert.That(schedulerRoles, Has.Count.EqualTo(1));
        Assert.That(schedulerRoles[0].Scope, Is.EqualTo(scheduler.GetProperty("id").GetString()));
        Assert.That(IsTheApps(snapshot)(schedulerRoles[0]), Is.True);
        // With the scheduler the storage account still holds the Functions host's state and the app's blobs.
        Assert.That(snapshot.RoleAssignments.Count(IsTheApps(snapshot)), Is.EqualTo(4));
    }

    [Test]
    public async Task Outputs_GiveTheAppsUrlAndName()
    {
        var snapshot = await DeploymentSnapshot.Default;

        var uri = snapshot.Outputs.GetProperty("SERVICE_API_URI").GetString();
        var site = snapshot.Single("Microsoft.Web/sites");
        // The host name Azure gives the app (with a random part, for a new app with a unique default host name).
        Assert.That(uri, Does.StartWith("[format('https://{0}', reference('" + site.GetProperty("id").GetString() + "'").And.EndWith(".defaultHostName)]"));
        Assert.That(snapshot.Outputs.GetProperty("AZURE_FUNCTION_APP_NAME").GetString(), Is.EqualTo(site.GetProperty("name").GetString()));
        Assert.That(snapshot.Outputs.GetProperty("AZURE_RESOURCE_GROUP").GetString(), Is.EqualTo($"rg-{DeploymentSnapshot.EnvironmentName}"));
    }

    // The app's principal is only known once the app exists: its role assignments read it from the site.
    private static Func<RoleAssignment, bool> IsTheApps(DeploymentSnapshot snapshot)
    {
        var site = snapshot.Single("Microsoft.Web/sites").GetProperty("id").GetString();
        return role => role.Principal.StartsWith($"[reference('{site}'", StringComparison.Ordinal)
            && role.Principal.EndsWith(".identity.principalId]", StringComparison.Ordinal);
    }

    private static string Type(JsonElement resource) => resource.GetProperty("type").GetString()!;
}
