using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Vigor.Core.Admin;
using Vigor.Core.Auth;
using Vigor.Core.Infrastructure.Caching;
using Vigor.Core.Health;
using Vigor.Core.Infrastructure;
using Vigor.Core.Infrastructure.Data;
using Vigor.Core.Infrastructure.Durable;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Infrastructure.Secrets;
using Vigor.Core.Infrastructure.Storage;
using Vigor.Core.Infrastructure.Telemetry;
using Vigor.Core.Llm.Gateway;
using Vigor.Core.Profiles;
using Vigor.Core.Reports;
using Vigor.Core.Workouts;

namespace Vigor.Core;

public static class VigorCoreServices
{
    /// <summary>Everything both hosts (Azure Functions and the local host) and the tests register: one DI graph everywhere.</summary>
    public static IServiceCollection AddVigorCore(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<VigorMetrics>();
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.DefaultIgnoreCondition = VigorJson.Options.DefaultIgnoreCondition;
            json.SerializerOptions.UnmappedMemberHandling = VigorJson.Options.UnmappedMemberHandling;
        });
        services.AddVigorData().AddVigorStorage().AddVigorSecrets();

        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section);
        services.AddSingleton<IPasswordHasher<UserRow>, PasswordHasher<UserRow>>();
        services.AddSingleton<SigningKeyRing>();
        services.AddSingleton<AccessTokenService>();
        services.AddSingleton<UserRepository>();
        services.AddSingleton<RefreshTokenRepository>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<AuthService>();
        services.AddSingleton<RequestAuthenticator>();
        services.AddSingleton<AuthStateCache>();
        services.AddSingleton<IChangeSubscriber>(sp => sp.GetRequiredService<AuthStateCache>());
        services.AddHostedService<ChangeListener>();
        services.AddSingleton<ChangeNotifier>();
        services.AddSingleton<AdminSeeder>();

        services.AddSingleton<ProfileRepository>();
        services.AddSingleton<ProfileService>();
        services.AddSingleton<HealthService>();
        services.AddSingleton<Admin.AdminUserService>();
        services.AddSingleton<Usage.CounterStore>();
        services.AddSingleton<Usage.PgCounterStore>();
        services.AddOptions<Usage.CounterStoreOptions>().BindConfiguration(Usage.CounterStoreOptions.Section);
        services.AddSingleton<Usage.ICounterStore>(sp =>
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Usage.CounterStoreOptions>>().Value.Store switch
            {
                Usage.CounterStoreOptions.TableStorage => sp.GetRequiredService<Usage.CounterStore>(),
                Usage.CounterStoreOptions.PostgreSql => sp.GetRequiredService<Usage.PgCounterStore>(),
                var other => throw new InvalidOperationException($"Llm:Counters:Store must be PostgreSQL or TableStorage, not '{other}'."),
            });
        services.AddSingleton<Usage.TierRepository>();
        services.AddSingleton<Usage.UsageService>();
        services.AddOptions<Usage.UsageCacheOptions>().BindConfiguration(Usage.UsageCacheOptions.Section);
        services.AddSingleton<Usage.UsageCache>();
        services.AddSingleton<IChangeSubscriber>(sp => sp.GetRequiredService<Usage.UsageCache>());
        services.AddSingleton<Usage.Rollups.RollupTable>().AddSingleton<Usage.Rollups.RollupLedger>().AddSingleton<Usage.Rollups.RollupCheckpoints>();
        services.AddSingleton<Usage.Rollups.RollupWriter>().AddSingleton<Usage.Rollups.UsageRollup>().AddSingleton<Usage.Rollups.UsageRollups>();
        services.AddOptions<Usage.Budgets.AlertsOptions>().BindConfiguration(Usage.Budgets.AlertsOptions.Section);
        services.AddHttpClient(Usage.Budgets.BudgetWebhook.ClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<Usage.Budgets.BudgetWebhook>().AddSingleton<Usage.Budgets.BudgetAlertRepository>();
        services.AddSingleton<Usage.Budgets.SpendForecaster>().AddSingleton<Usage.Budgets.BudgetWatch>();
        services.AddSingleton<TokenMaintenance>();
        services.AddTransient<PingActivity>();
        services.AddOptions<Jobs.JobOptions>().BindConfiguration(Jobs.JobOptions.Section);
        services.AddSingleton<Jobs.JobRepository>();
        services.AddSingleton<Jobs.JobService>();
        services.AddSingleton<Jobs.LlmJobRecovery>();

        services.AddVigorTraining();
        services.AddVigorLlmGateway();
        services.AddVigorAdmin();
        services.AddSingleton<Coach.CoachRepository>();
        services.AddSingleton<Coach.CoachService>();
        services.AddSingleton<ILlmFeature, Coach.CoachFeature>();
        services.AddSingleton<Workouts.Generation.PlanGenerationService>();
        services.AddSingleton<ILlmFeature, Workouts.Generation.PlanGenerationFeature>();
        services.AddSingleton<Workouts.Analysis.WorkoutAnalysisService>();
        services.AddSingleton<ILlmFeature, Workouts.Analysis.WorkoutAnalysisFeature>();
        Billing.BillingServices.AddVigorBilling(services);
        services.AddHostedService<StartupInitializer>();
        services.AddVigorReports();
        return services;
    }
}
