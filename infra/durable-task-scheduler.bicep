// The Durable Task Scheduler: a managed durable backend, instead of the storage account's queues and tables, for more
// orchestration throughput than Azure Storage gives. Only deployed with useDurableTaskScheduler.

param name string
param taskHubName string
param location string
param tags object

resource scheduler 'Microsoft.DurableTask/schedulers@2025-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    sku: { name: 'Consumption' }
    // Who may connect is decided by role assignments (access.bicep); an empty list would refuse everyone.
    ipAllowlist: ['0.0.0.0/0']
  }
}

resource taskHub 'Microsoft.DurableTask/schedulers/taskHubs@2025-11-01' = {
  parent: scheduler
  name: taskHubName
}
