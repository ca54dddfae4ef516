// Vigor backend: everything one environment (dev, staging, prod) needs, deployed into one resource group.
//   az deployment group create -g <rg> -f infra-bicep/main.bicep -p infra-bicep/env/<env>.bicepparam
// or `azd up` (infra-bicep/main.bicepparam). See docs/delivery.md.
targetScope = 'resourceGroup'

// ---------------------------------------------------------------------------------------------------------
// Environment and hosting
// ---------------------------------------------------------------------------------------------------------
@description('Environment name (dev, staging, prod, or a personal azd environment). Part of every resource name.')
@minLength(2)
@maxLength(12)
param environmentName string

@description('Azure region for all resources.')
param location string = resourceGroup().location

@description('FlexConsumption: serverless FC1, no deployment slots (dev). Dedicated: App Service plan with a `staging` slot (staging, prod).')
@allowed([
  'FlexConsumption'
  'Dedicated'
])
param hostingPlan string = 'FlexConsumption'

@description('App Service plan SKU when hostingPlan is Dedicated.')
param dedicatedSkuName string = 'P1v3'

@description('Instances of the dedicated plan.')
@minValue(1)
param dedicatedInstanceCount int = 1

@description('Spread the dedicated plan over availability zones (Premium v3, 3+ instances).')
param dedicatedZoneRedundant bool = false

@description('Flex Consumption: maximum instances.')
@minValue(40)
@maxValue(1000)
param flexMaximumInstanceCount int = 100

@description('Flex Consumption: memory per instance in MB.')
@allowed([
  512
  2048
  4096
])
param flexInstanceMemoryMB int = 2048

@description('Disable FTP and SCM basic-auth publishing credentials; deployments authenticate with Entra ID.')
param disableBasicPublishingAuth bool = true

// ---------------------------------------------------------------------------------------------------------
// Storage, monitoring, Key Vault
// ---------------------------------------------------------------------------------------------------------
@description('Storage replication.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSkuName string = 'Standard_LRS'

@description('Days the Log Analytics workspace keeps data.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('Daily log ingestion cap in GB; -1 for none.')
param logDailyQuotaGb int = -1

@description('Accept only Entra ID authenticated telemetry in App Insights.')
param appInsightsDisableLocalAuth bool = false

@description('Key Vault public network access. Disabled needs private endpoints (not created here).')
@allowed([
  'Enabled'
  'Disabled'
])
param keyVaultPublicNetworkAccess string = 'Enabled'

@description('Days a deleted secret or vault stays recoverable.')
@minValue(7)
@maxValue(90)
param keyVaultSoftDeleteRetentionDays int = 90

@description('Admins store LLM provider API keys through the app, so the app identity needs Key Vault Secrets Officer on the vault (not just Secrets User).')
param appManagesProviderSecrets bool = true

@description('Optional Entra ID group object id of operators who rotate secrets by hand.')
param keyVaultOperatorsGroupObjectId string = ''

// ---------------------------------------------------------------------------------------------------------
// PostgreSQL
// ---------------------------------------------------------------------------------------------------------
@description('PostgreSQL compute SKU.')
param postgresSkuName string = 'Standard_B1ms'

@description('PostgreSQL compute tier matching postgresSkuName.')
@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param postgresSkuTier string = 'Burstable'

@description('PostgreSQL storage in GiB.')
param postgresStorageSizeGB int = 32

@description('Point-in-time restore window in days.')
@minValue(7)
@maxValue(35)
param postgresBackupRetentionDays int = 7

@description('Geo-redundant backups (prod).')
param postgresGeoRedundantBackup bool = false

@description('Zone-redundant high availability (prod).')
param postgresZoneRedundantHa bool = false

@description('Create a read replica.')
param postgresReadReplica bool = false

@description('Region of the read replica.')
param postgresReplicaLocation string = location

@description('Public: firewall rule allowing Azure services. Private: VNet-injected server, app reaches it through VNet integration. Fixed at server creation.')
@allowed([
  'Public'
  'Private'
])
param postgresNetworkAccess string = 'Public'

@description('How the app signs in to PostgreSQL: ManagedIdentity (Entra token as password, no secret) or Password (break-glass admin password in the connection string).')
@allowed([
  'ManagedIdentity'
  'Password'
])
param databaseAuthentication string = 'ManagedIdentity'

@description('Login of the password administrator (only with a non-empty postgresAdministratorPassword).')
param postgresAdministratorLogin string = 'vigoradmin'

@description('Break-glass administrator password. Empty: password authentication off (Entra ID only). Never output.')
@secure()
param postgresAdministratorPassword string = ''

@description('Host the app connects to instead of the server created here, e.g. a server restored to a point in time. Empty: the server created here.')
param databaseHostOverride string = ''

@description('VNet address space (Private PostgreSQL only).')
param vnetAddressPrefix string = '10.40.0.0/16'

@description('Function App integration subnet (Private PostgreSQL only).')
param vnetAppSubnetPrefix string = '10.40.1.0/24'

@description('PostgreSQL delegated subnet (Private PostgreSQL only).')
param vnetPostgresSubnetPrefix string = '10.40.2.0/24'

// ---------------------------------------------------------------------------------------------------------
// App configuration
// ---------------------------------------------------------------------------------------------------------
@description('JWT issuer (iss). Empty: https://<function app default host name>.')
param authIssuer string = ''

@description('JWT audience (aud).')
param authAudience string = 'vigor-api'

@description('E-mail of the first admin account the app seeds.')
param adminEmail string

@description('NCRONTAB schedule of the refresh-token purge timer.')
param purgeRefreshTokensSchedule string = '0 0 3 * * *'

@description('NCRONTAB schedule of the usage rollup timer (ledger into Table Storage).')
param usageRollupSchedule string = '0 */5 * * * *'

@description('NCRONTAB schedule of the budget watch timer (thresholds, alerts, forecast). The alert webhook URL is the Key Vault secret alerts-webhook-url.')
param budgetWatchSchedule string = '0 */15 * * * *'

@description('NCRONTAB schedule of the daily cost report (the day before, UTC).')
param dailyCostReportSchedule string = '0 0 6 * * *'

@description('NCRONTAB schedule of the weekly cost report (the ISO week before, Monday to Sunday, UTC).')
param weeklyCostReportSchedule string = '0 0 6 * * 1'
@description('NCRONTAB schedule of the billing expiry timer (cancellations at period end, ended grace periods).')
param billingExpirySchedule string = '0 0 * * * *'
@description('NCRONTAB schedule of the AI job recovery timer (inline AI requests whose instance died are handed to the orchestrator; old counter markers purged).')
param llmJobRecoverySchedule string = '0 * * * * *'

@description('Stripe price id(s) of the premium tier (Billing:Prices:premium), comma-separated to keep a replaced price; empty: not sold here. Test and live mode ids differ. The API key and webhook signing secret are the Key Vault secrets stripe-api-key and stripe-webhook-secret.')
param stripePricePremium string = ''

@description('Stripe price id(s) of the unlimited tier (Billing:Prices:unlimited); empty: not sold here.')
param stripePriceUnlimited string = ''

@description('Where Stripe Checkout returns after a payment (Stripe fills in {CHECKOUT_SESSION_ID}); empty: checkout answers 503.')
param billingSuccessUrl string = ''

@description('Where Stripe Checkout returns when the user cancels; empty: checkout answers 503.')
param billingCancelUrl string = ''

@description('Where the Stripe Customer Portal returns; empty: the portal route answers 503.')
param billingPortalReturnUrl string = ''

// ---------------------------------------------------------------------------------------------------------
// Alerts
// ---------------------------------------------------------------------------------------------------------
@description('E-mail address that receives alerts.')
param alertEmail string

@description('Alert rules enabled.')
param alertsEnabled bool = true

@description('HTTP 5xx alert threshold, percent of requests over 15 minutes.')
param http5xxPercentThreshold int = 2

@description('p95 latency alert threshold in milliseconds.')
param p95LatencyThresholdMs int = 4000

// ---------------------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------------------
var envName = toLower(environmentName)
var compactEnv = take(replace(envName, '-', ''), 8)
var suffix = take(uniqueString(subscription().id, resourceGroup().id, envName), 6)
var tags = {
  application: 'vigor'
  environment: envName
  'azd-env-name': environmentName
}
var names = {
  identity: 'id-vigor-${envName}-${suffix}'
  workspace: 'log-vigor-${envName}-${suffix}'
  appInsights: 'appi-vigor-${envName}-${suffix}'
  storage: 'stvigor${compactEnv}${suffix}'
  keyVault: 'kv-vigor-${compactEnv}-${suffix}'
  postgres: 'psql-vigor-${envName}-${suffix}'
  vnet: 'vnet-vigor-${envName}-${suffix}'
  plan: 'plan-vigor-${envName}-${suffix}'
  functionApp: 'func-vigor-${envName}-${suffix}'
  deploymentContainer: 'app-package'
  databaseSecret: 'database-connection-string'
  taskHub: 'vigor${compactEnv}'
}
var databaseName = 'vigor'
var healthCheckPath = '/api/health/ready'
var privatePostgres = postgresNetworkAccess == 'Private'

// ---------------------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------------------
module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: names.workspace
    appInsightsName: names.appInsights
    location: location
    tags: tags
    retentionInDays: logRetentionDays
    dailyQuotaGb: logDailyQuotaGb
    disableLocalAuth: appInsightsDisableLocalAuth
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: names.storage
    location: location
    tags: tags
    skuName: storageSkuName
    deploymentContainerName: names.deploymentContainer
    deleteRetentionDays: 7
  }
}

module network 'modules/network.bicep' = if (privatePostgres) {
  name: 'network'
  params: {
    name: names.vnet
    location: location
    tags: tags
    addressPrefix: vnetAddressPrefix
    appSubnetPrefix: vnetAppSubnetPrefix
    postgresSubnetPrefix: vnetPostgresSubnetPrefix
    hostingPlan: hostingPlan
    postgresDnsZoneName: '${names.postgres}.private.postgres.database.azure.com'
  }
}

module postgres 'modules/postgres.bicep' = {
  name: 'postgres'
  params: {
    name: names.postgres
    location: location
    tags: tags
    skuName: postgresSkuName
    skuTier: postgresSkuTier
    storageSizeGB: postgresStorageSizeGB
    backupRetentionDays: postgresBackupRetentionDays
    geoRedundantBackup: postgresGeoRedundantBackup
    zoneRedundantHa: postgresZoneRedundantHa
    readReplica: postgresReadReplica
    replicaLocation: postgresReplicaLocation
    databaseName: databaseName
    administratorLogin: postgresAdministratorLogin
    administratorPassword: postgresAdministratorPassword
    entraAdminName: names.identity
    // The administrators resource is named by the identity's object id, which exists only once the identity
    // does; what-if therefore cannot predict this one child resource.
    #disable-next-line what-if-short-circuiting
    entraAdminObjectId: identity.outputs.principalId
    networkAccess: postgresNetworkAccess
    delegatedSubnetId: privatePostgres ? network!.outputs.postgresSubnetId : ''
    privateDnsZoneId: privatePostgres ? network!.outputs.postgresDnsZoneId : ''
  }
}

var databaseHost = empty(databaseHostOverride) ? postgres.outputs.fqdn : databaseHostOverride
// ManagedIdentity: the app passes an Entra access token (scope https://ossrdbms-aad.database.windows.net/.default)
// as the password, e.g. NpgsqlDataSourceBuilder.UsePeriodicPasswordProvider + DefaultAzureCredential.
var databaseConnectionString = databaseAuthentication == 'ManagedIdentity'
  ? 'Host=${databaseHost};Port=5432;Database=${databaseName};Username=${names.identity};Ssl Mode=VerifyFull'
  : 'Host=${databaseHost};Port=5432;Database=${databaseName};Username=${postgresAdministratorLogin};Password=${postgresAdministratorPassword};Ssl Mode=VerifyFull'

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: names.keyVault
    location: location
    tags: tags
    publicNetworkAccess: keyVaultPublicNetworkAccess
    softDeleteRetentionInDays: keyVaultSoftDeleteRetentionDays
    databaseSecretName: names.databaseSecret
    databaseConnectionString: databaseConnectionString
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    identityName: names.identity
    storageAccountName: names.storage
    keyVaultName: names.keyVault
    appInsightsName: names.appInsights
    appManagesProviderSecrets: appManagesProviderSecrets
    operatorsGroupObjectId: keyVaultOperatorsGroupObjectId
  }
  // Names are passed as known strings (so what-if can predict the assignments), hence explicit ordering.
  dependsOn: [
    identity
    storage
    keyVault
    monitoring
  ]
}

// Every setting the Vigor app reads and validates at startup, in one place (the Functions host's own settings
// are added in modules/functionapp.bicep). Nothing here is a secret: the connection string is a Key Vault
// reference the platform resolves with the managed identity.
var vigorAppSettings = {
  Database__ConnectionString: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.databaseSecretUri})'
  Database__UseManagedIdentity: string(databaseAuthentication == 'ManagedIdentity')
  Storage__AccountName: storage.outputs.name
  Storage__ClientId: identity.outputs.clientId
  Secrets__Provider: 'KeyVault'
  Secrets__KeyVaultUri: keyVault.outputs.uri
  Auth__Issuer: empty(authIssuer) ? 'https://${names.functionApp}.azurewebsites.net' : authIssuer
  Auth__Audience: authAudience
  Admin__Email: adminEmail
  Timers__PurgeRefreshTokensSchedule: purgeRefreshTokensSchedule
  Timers__UsageRollupSchedule: usageRollupSchedule
  Timers__BudgetWatchSchedule: budgetWatchSchedule
  Timers__DailyCostReportSchedule: dailyCostReportSchedule
  Timers__WeeklyCostReportSchedule: weeklyCostReportSchedule
  Timers__BillingExpirySchedule: billingExpirySchedule
  Timers__LlmJobRecoverySchedule: llmJobRecoverySchedule
  Billing__Prices__premium: stripePricePremium
  Billing__Prices__unlimited: stripePriceUnlimited
  Billing__SuccessUrl: billingSuccessUrl
  Billing__CancelUrl: billingCancelUrl
  Billing__PortalReturnUrl: billingPortalReturnUrl
  AZURE_CLIENT_ID: identity.outputs.clientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: tags
    hostingPlan: hostingPlan
    dedicatedSkuName: dedicatedSkuName
    dedicatedInstanceCount: dedicatedInstanceCount
    dedicatedZoneRedundant: dedicatedZoneRedundant
    flexMaximumInstanceCount: flexMaximumInstanceCount
    flexInstanceMemoryMB: flexInstanceMemoryMB
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    appSettings: vigorAppSettings
    healthCheckPath: healthCheckPath
    taskHubName: names.taskHub
    vnetSubnetId: privatePostgres ? network!.outputs.appSubnetId : ''
    disableBasicPublishingAuth: disableBasicPublishingAuth
  }
  // Key Vault references and identity-based AzureWebJobsStorage only work once the roles exist.
  dependsOn: [
    roles
  ]
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    namePrefix: 'vigor-${envName}'
    location: location
    tags: tags
    appInsightsName: names.appInsights
    alertEmail: alertEmail
    http5xxPercentThreshold: http5xxPercentThreshold
    p95LatencyThresholdMs: p95LatencyThresholdMs
    enabled: alertsEnabled
  }
  dependsOn: [
    monitoring
  ]
}

module workbook 'modules/workbook.bicep' = {
  name: 'workbook'
  params: {
    displayName: 'Vigor operations (${envName})'
    location: location
    tags: tags
    appInsightsName: names.appInsights
  }
  dependsOn: [
    monitoring
  ]
}

// ---------------------------------------------------------------------------------------------------------
// Outputs (no secrets)
// ---------------------------------------------------------------------------------------------------------
output functionAppName string = functionApp.outputs.name
output functionAppHostName string = functionApp.outputs.hostName
output functionAppStagingSlotHostName string = functionApp.outputs.stagingSlotHostName
output keyVaultUri string = keyVault.outputs.uri
output storageAccountName string = storage.outputs.name
output postgresServerName string = postgres.outputs.name
output appInsightsName string = monitoring.outputs.appInsightsName
