using Azure.Core;
using Azure.Identity;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Vigor.Core.Infrastructure.Data;

internal static class DataRegistration
{
    public static IServiceCollection AddVigorData(this IServiceCollection services)
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
            builder.ConnectionStringBuilder.ApplicationName ??= "vigor";
            if (options.UseManagedIdentity)
            {
                var credential = new DefaultAzureCredential();
                var scope = new TokenRequestContext(["https://ossrdbms-aad.database.windows.net/.default"]);
                builder.UsePeriodicPasswordProvider(
                    async (_, ct) => (await credential.GetTokenAsync(scope, ct)).Token,
                    successRefreshInterval: TimeSpan.FromMinutes(45),
                    failureRefreshInterval: TimeSpan.FromSeconds(10));
            }
            return builder.Build();
        });
        services.AddSingleton<MigrationRunner>();
        return services;
    }
}
