using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace Vigor.Core.Llm.Gateway;

public static class GatewayRegistration
{
    /// <summary>The gateway's activities: registered in DI (transient) and with Durable under their class names.</summary>
    internal static readonly Type[] Activities =
        [typeof(RouteLlmActivity), typeof(ReserveBudgetActivity), typeof(CallModelActivity), typeof(SettleLlmActivity), typeof(CompleteLlmJobActivity)];

    public static IServiceCollection AddVigorLlmGateway(this IServiceCollection services)
    {
        services.AddVigorLlmProviders();
        services.AddOptions<LlmOptions>().BindConfiguration(LlmOptions.Section);
        services.AddOptions<BreakerOptions>().BindConfiguration(BreakerOptions.Section);
        services.AddSingleton<ProviderRepository>();
        services.AddSingleton<LedgerRepository>();
        services.AddSingleton<CircuitBreakers>();
        services.AddHostedService<BreakerStatsRefresher>();
        services.AddSingleton<LlmCache>();
        services.AddSingleton<LlmHitContexts>();
        services.AddSingleton<Infrastructure.Caching.IChangeSubscriber>(sp => sp.GetRequiredService<LlmHitContexts>());
        services.AddSingleton<BudgetGate>();
        services.AddSingleton<LlmRouter>();
        services.AddSingleton<IModelClient, ProviderModelClient>();
        services.AddSingleton<LlmAttemptRunner>();
        services.AddSingleton<LlmSettlement>();
        services.AddSingleton<LlmInlineRunner>();
        services.AddSingleton<PendingSettles>();
        services.AddHostedService(sp => sp.GetRequiredService<PendingSettles>());
        services.AddOptions<QuotaLeaseOptions>().BindConfiguration(QuotaLeaseOptions.Section);
        services.AddSingleton<QuotaLeases>();
        services.AddHostedService(sp => sp.GetRequiredService<QuotaLeases>());
        foreach (var activity in Activities)
            services.AddTransient(activity);
        return services;
    }

    public static DurableTaskRegistry AddLlmTasks(this DurableTaskRegistry registry)
    {
        registry.AddOrchestrator<LlmOrchestrator>();
        foreach (var activity in Activities)
            registry.AddActivity(activity);
        return registry;
    }
}
