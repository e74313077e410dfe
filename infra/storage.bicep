// The storage account: the app's datasets and models (blobs), the durable task hub (queues and tables), the Functions
// host's own state, and the deployment package. Reached with Microsoft Entra ID only: shared keys are off, so there is
// no connection string to leak or rotate.

param name string

@description('The blob container Flex Consumption runs the deployed package from; `azd deploy` puts it there.')
param deploymentContainerName string
param location string
param tags object

resource account 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' = {
  parent: account
  name: 'default'
}

resource deployments 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobs
  name: deploymentContainerName
}
