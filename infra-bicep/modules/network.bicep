// Only deployed when PostgreSQL uses private access: a VNet with one subnet for the Function App's outbound
// VNet integration and one delegated to PostgreSQL Flexible Server, plus the private DNS zone the server needs.
@description('Virtual network name.')
param name string

@description('Azure region.')
param location string

@description('Tags for the resources.')
param tags object

@description('Address space of the VNet.')
param addressPrefix string

@description('Subnet for the Function App VNet integration.')
param appSubnetPrefix string

@description('Subnet delegated to PostgreSQL Flexible Server.')
param postgresSubnetPrefix string

@description('FlexConsumption apps integrate through Microsoft.App/environments; App Service plans through Microsoft.Web/serverFarms.')
@allowed([
  'FlexConsumption'
  'Dedicated'
])
param hostingPlan string

@description('Private DNS zone for the server; must end in .postgres.database.azure.com.')
param postgresDnsZoneName string

var appSubnetDelegation = hostingPlan == 'FlexConsumption' ? 'Microsoft.App/environments' : 'Microsoft.Web/serverFarms'

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        addressPrefix
      ]
    }
    subnets: [
      {
        name: 'snet-app'
        properties: {
          addressPrefix: appSubnetPrefix
          delegations: [
            {
              name: 'app'
              properties: {
                serviceName: appSubnetDelegation
              }
            }
          ]
        }
      }
      {
        name: 'snet-postgres'
        properties: {
          addressPrefix: postgresSubnetPrefix
          delegations: [
            {
              name: 'postgres'
              properties: {
                serviceName: 'Microsoft.DBforPostgreSQL/flexibleServers'
              }
            }
          ]
        }
      }
    ]
  }
}

resource dnsZone 'Microsoft.Network/privateDnsZones@2024-06-01' = {
  name: postgresDnsZoneName
  location: 'global'
  tags: tags
}

resource dnsLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = {
  parent: dnsZone
  name: '${name}-link'
  location: 'global'
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet.id
    }
  }
}

output appSubnetId string = resourceId('Microsoft.Network/virtualNetworks/subnets', vnet.name, 'snet-app')
output postgresSubnetId string = resourceId('Microsoft.Network/virtualNetworks/subnets', vnet.name, 'snet-postgres')
// A module that consumes these outputs waits for the whole module, the VNet link included.
output postgresDnsZoneId string = dnsZone.id
