using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Vigor.Core.Infrastructure.Storage;

internal static class StorageRegistration
{
    public static IServiceCollection AddVigorStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            if (!string.IsNullOrWhiteSpace(options.ConnectionString))
                return new TableServiceClient(options.ConnectionString);
            var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = options.ClientId });
            return new TableServiceClient(new Uri($"https://{options.AccountName}.table.core.windows.net"), credential);
        });
        return services;
    }
}
