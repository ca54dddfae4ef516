// Least-privilege data-plane roles for the app's managed identity, each scoped to the one resource it is for.
@description('Name of the Function App user-assigned managed identity (same resource group).')
param identityName string

@description('Storage account the Functions host, Durable Task and the app use.')
param storageAccountName string

@description('Key Vault holding the app secrets.')
param keyVaultName string

@description('Application Insights component the app publishes telemetry to.')
param appInsightsName string

@description('True when the app writes secrets (admins store LLM provider API keys through the admin API), which needs Key Vault Secrets Officer on this vault.')
param appManagesProviderSecrets bool

@description('Optional Entra ID group of operators who rotate secrets by hand (Key Vault Secrets Officer). Empty: none.')
param operatorsGroupObjectId string

// Built-in role definition ids (identical in every subscription).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

// The Functions host and Durable Functions (Azure Storage backend) need blob leases and containers (Blob Data
// Owner), work-item and control queues (Queue Data Contributor) and history/instance tables (Table Data
// Contributor). The app itself uses tables for usage counters and rollups; Flex reads its package from a blob.
var storageRoles = [
  roles.storageBlobDataOwner
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]

// Looked up by name so assignment names are known before deployment (what-if can show them).
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource storageAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in storageRoles: {
    name: guid(storage.id, identity.id, roleId)
    scope: storage
    properties: {
      principalId: identity.properties.principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]

// Read secrets: Key Vault references in app settings and the app's secret cache.
resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}

// Write secrets: only because admins save provider API keys through the app; scoped to this vault alone.
resource secretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (appManagesProviderSecrets) {
  name: guid(vault.id, identity.id, roles.keyVaultSecretsOfficer)
  scope: vault
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
  }
}

resource operatorsSecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(operatorsGroupObjectId)) {
  name: guid(vault.id, operatorsGroupObjectId, roles.keyVaultSecretsOfficer)
  scope: vault
  properties: {
    principalId: operatorsGroupObjectId
    principalType: 'Group'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
  }
}

// Entra ID authenticated telemetry (APPLICATIONINSIGHTS_AUTHENTICATION_STRING) needs this on the component.
resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identity.id, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}
