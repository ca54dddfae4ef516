// prod: zone-redundant dedicated plan with a `staging` slot, zone-redundant HA PostgreSQL with 35 days of
// geo-redundant backups, private PostgreSQL, ZRS storage.
using '../main.bicep'

param environmentName = 'prod'
param hostingPlan = 'Dedicated'
param dedicatedSkuName = 'P1v3'
param dedicatedInstanceCount = 3
param dedicatedZoneRedundant = true

param storageSkuName = 'Standard_ZRS'
param logRetentionDays = 90
param logDailyQuotaGb = -1

param postgresSkuName = 'Standard_D4ds_v5'
param postgresSkuTier = 'GeneralPurpose'
param postgresStorageSizeGB = 128
param postgresBackupRetentionDays = 35
param postgresGeoRedundantBackup = true
param postgresZoneRedundantHa = true
// Turn on for reporting load or a warm copy in another region (set postgresReplicaLocation then).
param postgresReadReplica = bool(readEnvironmentVariable('VIGOR_POSTGRES_READ_REPLICA', 'false'))
param postgresNetworkAccess = 'Private'
param databaseAuthentication = 'ManagedIdentity'
param postgresAdministratorPassword = readEnvironmentVariable('VIGOR_POSTGRES_ADMIN_PASSWORD', '')

param authAudience = 'vigor-api'
param adminEmail = readEnvironmentVariable('VIGOR_ADMIN_EMAIL', 'admin@vigor.example')
param purgeRefreshTokensSchedule = '0 0 3 * * *'

param alertEmail = readEnvironmentVariable('VIGOR_ALERT_EMAIL', 'oncall@vigor.example')
param alertsEnabled = true
param http5xxPercentThreshold = 2
param p95LatencyThresholdMs = 4000
