// Parameters for `azd up` / `azd provision`: a dev-shaped environment (Flex Consumption, no slot) named after
// the azd environment. azd exposes its environment values (.azure/<env>/.env) as environment variables.
// The CI/CD workflow uses env/<env>.bicepparam instead.
using 'main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'dev')
param hostingPlan = 'FlexConsumption'
param flexMaximumInstanceCount = 40
param postgresNetworkAccess = 'Public'
param postgresBackupRetentionDays = 7
param postgresAdministratorPassword = readEnvironmentVariable('VIGOR_POSTGRES_ADMIN_PASSWORD', '')
param adminEmail = readEnvironmentVariable('VIGOR_ADMIN_EMAIL', 'admin@vigor.example')
param alertEmail = readEnvironmentVariable('VIGOR_ALERT_EMAIL', 'oncall@vigor.example')
param alertsEnabled = false
