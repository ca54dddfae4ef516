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
            return builder.Build();
        });
        services.AddSingleton<MigrationRunner>();
        return services;
    }
}
