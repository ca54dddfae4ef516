// PostgreSQL Flexible Server 16: the system of record. Entra ID authentication is always on; password
// authentication only when a break-glass admin password is supplied.
@description('Server name (lowercase letters, digits, hyphens).')
param name string

@description('Azure region.')
param location string

@description('Tags for the resources.')
param tags object

@description('Compute SKU, e.g. Standard_B1ms (Burstable) or Standard_D2ds_v5 (GeneralPurpose).')
param skuName string

@description('Compute tier matching skuName. Zone-redundant HA needs GeneralPurpose or MemoryOptimized.')
@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param skuTier string

@description('Storage size in GiB (grows automatically).')
param storageSizeGB int

@description('Days of point-in-time restore backups (7-35).')
@minValue(7)
@maxValue(35)
param backupRetentionDays int

@description('Keep backups in the paired region as well.')
param geoRedundantBackup bool

@description('Zone-redundant high availability (a hot standby in another zone).')
param zoneRedundantHa bool

@description('Create an asynchronous read replica.')
param readReplica bool

@description('Region of the read replica.')
param replicaLocation string

@description('Database the app uses.')
param databaseName string

@description('Login of the password administrator (used only when administratorPassword is not empty).')
param administratorLogin string

@description('Break-glass administrator password, used only when creating or resetting the server. Empty: password authentication is disabled.')
@secure()
param administratorPassword string

@description('Name of the managed identity registered as the server\'s Entra ID administrator (the app connects as this identity and runs migrations).')
param entraAdminName string

@description('Object (principal) id of that identity: the administrators resource is named by it.')
param entraAdminObjectId string

@description('Public: reachable from Azure services through a firewall rule. Private: VNet-injected, no public endpoint.')
@allowed([
  'Public'
  'Private'
])
param networkAccess string

@description('Delegated subnet (Private access only).')
param delegatedSubnetId string

@description('Private DNS zone resource id (Private access only).')
param privateDnsZoneId string

var passwordAuthEnabled = !empty(administratorPassword)
var network = networkAccess == 'Private'
  ? {
      publicNetworkAccess: 'Disabled'
      delegatedSubnetResourceId: delegatedSubnetId
      privateDnsZoneArmResourceId: privateDnsZoneId
    }
  : {
      publicNetworkAccess: 'Enabled'
    }

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: skuTier
  }
  properties: {
    version: '16'
    administratorLogin: passwordAuthEnabled ? administratorLogin : null
    administratorLoginPassword: passwordAuthEnabled ? administratorPassword : null
    authConfig: {
      activeDirectoryAuth: 'Enabled'
      passwordAuth: passwordAuthEnabled ? 'Enabled' : 'Disabled'
      tenantId: tenant().tenantId
    }
    storage: {
      storageSizeGB: storageSizeGB
      autoGrow: 'Enabled'
    }
    backup: {
      backupRetentionDays: backupRetentionDays
      geoRedundantBackup: geoRedundantBackup ? 'Enabled' : 'Disabled'
    }
    highAvailability: {
      mode: zoneRedundantHa ? 'ZoneRedundant' : 'Disabled'
    }
    network: network
  }
}

// Child operations on a flexible server are serialised (dependsOn) because the service rejects concurrent
// updates to one server ("ServerIsBusy").
resource entraAdmin 'Microsoft.DBforPostgreSQL/flexibleServers/administrators@2024-08-01' = {
  parent: server
  name: entraAdminObjectId
  properties: {
    principalType: 'ServicePrincipal'
    principalName: entraAdminName
    tenantId: tenant().tenantId
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: server
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
  dependsOn: [
    entraAdmin
  ]
}

// 0.0.0.0-0.0.0.0 is the documented "allow Azure services" rule: Flex Consumption has no fixed outbound IPs.
// Any caller still needs a valid Entra token (or the break-glass password) for this server.
resource allowAzureServices 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = if (networkAccess == 'Public') {
  parent: server
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
  dependsOn: [
    database
  ]
}

resource replica 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = if (readReplica) {
  name: '${name}-replica'
  location: replicaLocation
  tags: tags
  sku: {
    name: skuName
    tier: skuTier
  }
  properties: {
    createMode: 'Replica'
    sourceServerResourceId: server.id
    storage: {
      storageSizeGB: storageSizeGB
      autoGrow: 'Enabled'
    }
    network: network
  }
  dependsOn: [
    database
    allowAzureServices
  ]
}

output name string = server.name
output fqdn string = server.properties.fullyQualifiedDomainName
output databaseName string = database.name
output replicaName string = readReplica ? replica.name : ''
