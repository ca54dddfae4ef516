// staging: shaped like prod (dedicated plan with a `staging` slot, private PostgreSQL) at a smaller size,
// so that what passes here has passed on the same topology.
using '../main.bicep'

param environmentName = 'staging'
param hostingPlan = 'Dedicated'
param dedicatedSkuName = 'P1v3'
param dedicatedInstanceCount = 1
param dedicatedZoneRedundant = false

param storageSkuName = 'Standard_LRS'
param logRetentionDays = 30
param logDailyQuotaGb = 5

param postgresSkuName = 'Standard_D2ds_v5'
param postgresSkuTier = 'GeneralPurpose'
param postgresStorageSizeGB = 64
param postgresBackupRetentionDays = 14
param postgresGeoRedundantBackup = false
param postgresZoneRedundantHa = false
param postgresReadReplica = false
param postgresNetworkAccess = 'Private'
param databaseAuthentication = 'ManagedIdentity'
param postgresAdministratorPassword = readEnvironmentVariable('VIGOR_POSTGRES_ADMIN_PASSWORD', '')

param authAudience = 'vigor-api-staging'
param adminEmail = readEnvironmentVariable('VIGOR_ADMIN_EMAIL', 'admin@vigor.example')
param purgeRefreshTokensSchedule = '0 0 3 * * *'

param alertEmail = readEnvironmentVariable('VIGOR_ALERT_EMAIL', 'oncall@vigor.example')
param alertsEnabled = true
param http5xxPercentThreshold = 5
param p95LatencyThresholdMs = 5000
