// dev: serverless and cheap. Flex Consumption (no slots: deploys go straight to the app), burstable
// PostgreSQL with 7 days of backups, public PostgreSQL endpoint restricted to Azure services + Entra ID.
using '../main.bicep'

param environmentName = 'dev'
param hostingPlan = 'FlexConsumption'
param flexMaximumInstanceCount = 40
param flexInstanceMemoryMB = 2048

param storageSkuName = 'Standard_LRS'
param logRetentionDays = 30
param logDailyQuotaGb = 2

param postgresSkuName = 'Standard_B1ms'
param postgresSkuTier = 'Burstable'
param postgresStorageSizeGB = 32
param postgresBackupRetentionDays = 7
param postgresGeoRedundantBackup = false
param postgresZoneRedundantHa = false
param postgresReadReplica = false
param postgresNetworkAccess = 'Public'
param databaseAuthentication = 'ManagedIdentity'
// Optional break-glass password; empty keeps password authentication off.
param postgresAdministratorPassword = readEnvironmentVariable('VIGOR_POSTGRES_ADMIN_PASSWORD', '')

param authAudience = 'vigor-api-dev'
param adminEmail = readEnvironmentVariable('VIGOR_ADMIN_EMAIL', 'admin@vigor.example')
param purgeRefreshTokensSchedule = '0 0 3 * * *'

param alertEmail = readEnvironmentVariable('VIGOR_ALERT_EMAIL', 'oncall@vigor.example')
param alertsEnabled = false
