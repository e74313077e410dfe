// ServerlessML in Azure: a Flex Consumption function app with a system-assigned identity, the storage account it
// reaches through that identity (no keys), Application Insights, and optionally the Durable Task Scheduler.
// `azd up` deploys it with main.parameters.json; the tests build, lint and snapshot it offline.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('The azd environment: names the resource group (rg-{environmentName}) and seeds the other names.')
param environmentName string

@minLength(1)
@description('The region for everything: one that offers the Flex Consumption plan (and the Durable Task Scheduler, if used).')
@metadata({ azd: { type: 'location' } })
param location string

@maxLength(60)
@description('The function app\'s name, part of its URL. Empty: func-{a suffix unique to the subscription, environment and region}.')
param name string = ''

@description('Run orchestrations on the Durable Task Scheduler rather than on the storage account\'s queues and tables. The app then needs the AzureManaged worker extension and the host.json change the README shows.')
param useDurableTaskScheduler bool = false

@description('A user or service principal that may read and write the blobs too (uploading a large dataset, looking at models). azd passes whoever runs it. Empty: nobody but the app.')
param principalId string = ''

@allowed([2048, 4096])
@description('Memory of each instance, in MB. Training is memory- and CPU-bound: 4096 MB comes with two cores and holds the two trainings host.json lets an instance run at once, of up to about ten million rows each (BENCHMARKS.md: 1.7 GB at that size).')
param instanceMemoryMB int = 4096

@minValue(1)
@maxValue(1000)
@description('The most instances the app scales out to: the cap on what a burst of requests or trainings can cost.')
param maximumInstanceCount int = 100

var suffix = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
// Names known before anything is deployed, so the modules refer to each other by name and a snapshot of the deployment
// (the tests) shows the app settings and role assignments as they will be.
var functionAppName = empty(name) ? 'func-${suffix}' : name
var storageAccountName = 'st${suffix}'
var deploymentContainerName = 'app-package'
var applicationInsightsName = 'appi-${suffix}'
var schedulerName = useDurableTaskScheduler ? 'dts-${suffix}' : ''
// The name host.json gives the task hub on the Azure Storage backend.
var taskHubName = 'ServerlessML'

resource group 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module monitoring 'monitoring.bicep' = {
  scope: group
  params: {
    workspaceName: 'log-${suffix}'
    applicationInsightsName: applicationInsightsName
    location: location
    tags: tags
  }
}

module storage 'storage.bicep' = {
  scope: group
  params: {
    name: storageAccountName
    deploymentContainerName: deploymentContainerName
    location: location
    tags: tags
  }
}

module scheduler 'durable-task-scheduler.bicep' = if (useDurableTaskScheduler) {
  scope: group
  params: {
    name: schedulerName
    taskHubName: taskHubName
    location: location
    tags: tags
  }
}

module functionApp 'function-app.bicep' = {
  scope: group
  params: {
    name: functionAppName
    planName: 'plan-${suffix}'
    location: location
    tags: tags
    storageAccountName: storageAccountName
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: applicationInsightsName
    schedulerName: schedulerName
    taskHubName: taskHubName
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
  }
  dependsOn: [monitoring, storage, scheduler]
}

module access 'access.bicep' = {
  scope: group
  params: {
    appPrincipalId: functionApp.outputs.principalId
    storageAccountName: storageAccountName
    schedulerName: schedulerName
    userPrincipalId: principalId
  }
  dependsOn: [storage, scheduler]
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = group.name
output AZURE_FUNCTION_APP_NAME string = functionAppName
@description('The app\'s base URL: the API is under /api, the durable instance API under /runtime/webhooks/durabletask.')
output SERVICE_API_URI string = functionApp.outputs.uri
output AZURE_STORAGE_ACCOUNT_NAME string = storageAccountName
