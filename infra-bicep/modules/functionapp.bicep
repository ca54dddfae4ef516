// The Function App: Flex Consumption (FC1) for dev, or a dedicated App Service plan (Premium v3) with a
// `staging` deployment slot for staging/prod. Managed identity everywhere: no storage keys, no secrets in settings.
//
// Why not Elastic Premium: EP needs an Azure Files content share, which only works with storage account keys,
// and the storage account has shared keys disabled. A dedicated plan has no content share and supports slots.
@description('Function App name.')
param name string

@description('Hosting plan name.')
param planName string

@description('Azure region.')
param location string

@description('Tags for the resources.')
param tags object

@description('FlexConsumption (FC1, no slots) or Dedicated (App Service plan with a staging slot).')
@allowed([
  'FlexConsumption'
  'Dedicated'
])
param hostingPlan string

@description('App Service plan SKU when hostingPlan is Dedicated, e.g. P0v3, P1v3.')
param dedicatedSkuName string

@description('Instances of the dedicated plan (3 or more when zone redundant).')
@minValue(1)
param dedicatedInstanceCount int

@description('Spread the dedicated plan across availability zones (needs a Premium v3 SKU and 3+ instances).')
param dedicatedZoneRedundant bool

@description('Flex Consumption: maximum instances.')
@minValue(40)
@maxValue(1000)
param flexMaximumInstanceCount int

@description('Flex Consumption: memory per instance in MB.')
@allowed([
  512
  2048
  4096
])
param flexInstanceMemoryMB int

@description('Resource id of the user-assigned managed identity.')
param identityId string

@description('Client id of the user-assigned managed identity.')
param identityClientId string

@description('Storage account used by the Functions host (AzureWebJobsStorage) and Durable Task.')
param storageAccountName string

@description('Blob container URL holding the Flex Consumption deployment package.')
param deploymentContainerUrl string

@description('Settings the Vigor app reads and validates at startup (main.bicep: vigorAppSettings).')
param appSettings object

@description('Path the platform probes for health and for slot-swap warm-up.')
param healthCheckPath string

@description('Durable Task hub of the production slot; the staging slot gets its own hub so it never runs production orchestrations.')
@minLength(3)
@maxLength(38)
param taskHubName string

@description('Subnet for outbound VNet integration; empty for none.')
param vnetSubnetId string

@description('Disable FTP and SCM basic-auth publishing credentials (deployments then use Entra ID tokens).')
param disableBasicPublishingAuth bool

var isFlex = hostingPlan == 'FlexConsumption'
var stagingSlotName = 'staging'
// host.json values can be overridden by app settings named AzureFunctionsJobHost__<path>.
var taskHubSettingName = 'AzureFunctionsJobHost__extensions__durableTask__hubName'

// Host-level settings (not read by Vigor code). Identity-based AzureWebJobsStorage: no connection string, no key.
var hostSettings = {
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
}
// Flex Consumption rejects or ignores these (the runtime lives in functionAppConfig.runtime and the package in
// the deployment container), so they are only set on a dedicated plan.
var dedicatedHostSettings = {
  FUNCTIONS_EXTENSION_VERSION: '~4'
  FUNCTIONS_WORKER_RUNTIME: 'dotnet-isolated'
  WEBSITE_RUN_FROM_PACKAGE: '1'
  WEBSITE_SWAP_WARMUP_PING_PATH: healthCheckPath
  WEBSITE_SWAP_WARMUP_PING_STATUSES: '200'
}
var baseSettings = union(appSettings, hostSettings, isFlex ? {} : dedicatedHostSettings)

// Flex Consumption rejects most siteConfig properties (linuxFxVersion, ftpsState, alwaysOn, ...) with error
// 51021; FTP does not exist there and basic-auth publishing is switched off below instead.
var flexSiteConfig = {
  minTlsVersion: '1.2'
}
var dedicatedSiteConfig = {
  linuxFxVersion: 'DOTNET-ISOLATED|10.0'
  alwaysOn: true
  minTlsVersion: '1.2'
  scmMinTlsVersion: '1.2'
  ftpsState: 'Disabled'
  http20Enabled: true
  use32BitWorkerProcess: false
  healthCheckPath: healthCheckPath
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: isFlex ? 'functionapp' : 'linux'
  sku: isFlex
    ? {
        name: 'FC1'
        tier: 'FlexConsumption'
      }
    : {
        name: dedicatedSkuName
        capacity: dedicatedInstanceCount
      }
  properties: {
    reserved: true
    zoneRedundant: isFlex ? false : dedicatedZoneRedundant
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  // azd finds the deployment target of service `api` by this tag.
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: identityId
    virtualNetworkSubnetId: empty(vnetSubnetId) ? null : vnetSubnetId
    functionAppConfig: isFlex
      ? {
          deployment: {
            storage: {
              type: 'blobContainer'
              value: deploymentContainerUrl
              authentication: {
                type: 'UserAssignedIdentity'
                userAssignedIdentityResourceId: identityId
              }
            }
          }
          scaleAndConcurrency: {
            maximumInstanceCount: flexMaximumInstanceCount
            instanceMemoryMB: flexInstanceMemoryMB
          }
          runtime: {
            name: 'dotnet-isolated'
            version: '10.0'
          }
        }
      : null
    siteConfig: isFlex ? flexSiteConfig : dedicatedSiteConfig
  }
}

resource siteSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: union(baseSettings, { '${taskHubSettingName}': taskHubName })
}

resource slot 'Microsoft.Web/sites/slots@2024-04-01' = if (!isFlex) {
  parent: site
  name: stagingSlotName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: identityId
    virtualNetworkSubnetId: empty(vnetSubnetId) ? null : vnetSubnetId
    siteConfig: dedicatedSiteConfig
  }
}

resource slotSettings 'Microsoft.Web/sites/slots/config@2024-04-01' = if (!isFlex) {
  parent: slot
  name: 'appsettings'
  properties: union(baseSettings, { '${taskHubSettingName}': '${taskHubName}staging' })
}

// Slot-sticky: the task hub stays with the slot on swap, so code swapped into production picks up the
// production hub and the code swapped out keeps its hands off it.
resource stickySettings 'Microsoft.Web/sites/config@2024-04-01' = if (!isFlex) {
  parent: site
  name: 'slotConfigNames'
  properties: {
    appSettingNames: [
      taskHubSettingName
    ]
  }
}

resource ftpPolicy 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = if (disableBasicPublishingAuth) {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPolicy 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = if (disableBasicPublishingAuth) {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

resource slotFtpPolicy 'Microsoft.Web/sites/slots/basicPublishingCredentialsPolicies@2024-04-01' = if (!isFlex && disableBasicPublishingAuth) {
  parent: slot
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource slotScmPolicy 'Microsoft.Web/sites/slots/basicPublishingCredentialsPolicies@2024-04-01' = if (!isFlex && disableBasicPublishingAuth) {
  parent: slot
  name: 'scm'
  properties: {
    allow: false
  }
}

output id string = site.id
output name string = site.name
output hostName string = site.properties.defaultHostName
output stagingSlotName string = isFlex ? '' : stagingSlotName
output stagingSlotHostName string = isFlex ? '' : slot!.properties.defaultHostName
