// Log Analytics workspace + workspace-based Application Insights.
@description('Log Analytics workspace name.')
param workspaceName string

@description('Application Insights component name.')
param appInsightsName string

@description('Azure region.')
param location string

@description('Tags for the resources.')
param tags object

@description('Days to keep logs in the workspace.')
@minValue(30)
@maxValue(730)
param retentionInDays int

@description('Daily ingestion cap in GB (-1: no cap). A cap protects the budget from a logging storm.')
param dailyQuotaGb int

@description('When true, App Insights accepts only Entra ID (managed identity) authenticated telemetry.')
param disableLocalAuth bool

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
    workspaceCapping: {
      dailyQuotaGb: dailyQuotaGb
    }
    features: {
      enableLogAccessUsingOnlyResourcePermissions: true
    }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
    DisableLocalAuth: disableLocalAuth
    publicNetworkAccessForIngestion: 'Enabled'
    publicNetworkAccessForQuery: 'Enabled'
  }
}

output workspaceId string = workspace.id
output appInsightsId string = appInsights.id
output appInsightsName string = appInsights.name
// The connection string identifies the ingestion endpoint; it is not a credential (App Insights ingestion can be
// locked to Entra ID with disableLocalAuth), and the Functions host needs it as a plain app setting.
output connectionString string = appInsights.properties.ConnectionString
