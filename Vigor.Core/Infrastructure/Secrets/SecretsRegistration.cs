using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Vigor.Core.Infrastructure.Secrets;

internal static class SecretsRegistration
{
    public static IServiceCollection AddVigorSecrets(this IServiceCollection services)
    {
        services.AddOptions<SecretsOptions>().BindConfiguration(SecretsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ConfigurationSecretStore>();
        services.AddSingleton<KeyVaultSecretStore>();
        services.AddSingleton(sp => new SecretClient(
            sp.GetRequiredService<IOptions<SecretsOptions>>().Value.KeyVaultUri
                ?? throw new InvalidOperationException("Setting 'Secrets:KeyVaultUri' is required when Secrets:Provider is KeyVault."),
            new DefaultAzureCredential()));
        services.AddSingleton<ISecretStore>(sp =>
            sp.GetRequiredService<IOptions<SecretsOptions>>().Value.Provider.Equals("KeyVault", StringComparison.OrdinalIgnoreCase)
                ? sp.GetRequiredService<KeyVaultSecretStore>()
                : sp.GetRequiredService<ConfigurationSecretStore>());
        return services;
    }
}
