using Microsoft.Extensions.DependencyInjection;

namespace Vigor.Core.Admin;

public static class AdminServices
{
    /// <summary>Admin management of providers, budgets, tiers, users' tier and status, usage and the audit log (the user search is registered with accounts).</summary>
    public static IServiceCollection AddVigorAdmin(this IServiceCollection services)
    {
        services.AddOptions<ProviderEndpointOptions>().BindConfiguration(ProviderEndpointOptions.Section);
        services.AddSingleton<AuditLog>();
        services.AddSingleton<ProviderAdminRepository>();
        services.AddSingleton<ProviderAdminService>();
        services.AddSingleton<ProviderHealthService>();
        services.AddSingleton<BudgetRepository>();
        services.AddSingleton<BudgetService>();
        services.AddSingleton<AdminUserRepository>();
        services.AddSingleton<TierAdminRepository>();
        services.AddSingleton<TierAdminService>();
        services.AddSingleton<AdminUsageRepository>();
        services.AddSingleton<AdminUsageService>();
        return services;
    }
}
