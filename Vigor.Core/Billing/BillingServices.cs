using Microsoft.Extensions.DependencyInjection;

namespace Vigor.Core.Billing;

public static class BillingServices
{
    /// <summary>Stripe Checkout, Customer Portal, the webhook and the expiry timer's work.</summary>
    public static IServiceCollection AddVigorBilling(this IServiceCollection services)
    {
        services.AddOptions<BillingOptions>().BindConfiguration(BillingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(StripeGateway.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(20));
        services.AddSingleton<StripeGateway>();
        services.AddSingleton<BillingAccounts>();
        services.AddSingleton<BillingLedger>();
        services.AddSingleton<BillingService>();
        services.AddSingleton<StripeWebhooks>();
        services.AddSingleton<SubscriptionExpiry>();
        return services;
    }
}
