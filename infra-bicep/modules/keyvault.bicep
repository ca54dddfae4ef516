// Key Vault for everything secret: the database connection string (written here), JWT signing keys, provider
// API keys and Stripe secrets (written by operators or by the app's admin API, never by this template).
@description('Key Vault name (3-24 letters, digits and hyphens).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags for the resources.')
param tags object

@description('Enabled: reachable over the internet (still RBAC-protected). Disabled: needs private endpoints, which this template does not create.')
@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string

@description('Days a deleted vault or secret can be recovered.')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int

@description('Name of the secret that holds the PostgreSQL connection string.')
param databaseSecretName string

@description('PostgreSQL connection string stored in the vault; the Function App reads it through a Key Vault reference.')
@secure()
param databaseConnectionString string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    enablePurgeProtection: true
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    publicNetworkAccess: publicNetworkAccess
    networkAcls: {
      defaultAction: publicNetworkAccess == 'Enabled' ? 'Allow' : 'Deny'
      bypass: 'AzureServices'
    }
  }
}

resource databaseSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: databaseSecretName
  properties: {
    value: databaseConnectionString
    contentType: 'text/plain; format=npgsql-connection-string'
  }
}

output id string = vault.id
output name string = vault.name
output uri string = vault.properties.vaultUri
// Unversioned URI: a Key Vault reference to it follows rotations (App Service re-reads it within 24 h or on restart).
output databaseSecretUri string = databaseSecret.properties.secretUri
