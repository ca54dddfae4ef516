using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace Vigor.Core.Llm.Gateway;

public static class GatewayRegistration
{
    public static IServiceCollection AddVigorLlmGateway(this IServiceCollection services)
    {
        services.AddVigorLlmProviders();
        services.AddOptions<LlmOptions>().BindConfiguration(LlmOptions.Section);
        services.AddOptions<BreakerOptions>().BindConfiguration(BreakerOptions.Section);
        services.AddSingleton<ProviderRepository>();
        services.AddSingleton<LedgerRepository>();
        services.AddSingleton<CircuitBreakers>();
        services.AddSingleton<LlmCache>();
        services.AddSingleton<BudgetGate>();
        services.AddSingleton<LlmRouter>();
        services.AddSingleton<IModelClient, ProviderModelClient>();
        services.AddSingleton<LlmAttemptRunner>();
        services.AddSingleton<LlmSettlement>();
        services.AddTransient<RouteLlmActivity>();
        services.AddTransient<ReserveBudgetActivity>();
        services.AddTransient<CallModelActivity>();
        services.AddTransient<SettleLlmActivity>();
        services.AddTransient<CompleteLlmJobActivity>();
        return services;
    }

    public static DurableTaskRegistry AddLlmTasks(this DurableTaskRegistry registry)
    {
        registry.AddOrchestrator<LlmOrchestrator>();
        registry.AddActivity<RouteLlmActivity>();
        registry.AddActivity<ReserveBudgetActivity>();
        registry.AddActivity<CallModelActivity>();
        registry.AddActivity<SettleLlmActivity>();
        registry.AddActivity<CompleteLlmJobActivity>();
        return registry;
    }
}
