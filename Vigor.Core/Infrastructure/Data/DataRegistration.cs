using Azure.Core;
using Azure.Identity;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Vigor.Core.Infrastructure.Data;

internal static class DataRegistration
{
    /// <summary>Key of the data source whose connections keep session state (advisory locks): no multiplexing.</summary>
    public const string SessionDataSource = "session";

    public static IServiceCollection AddVigorData(this IServiceCollection services)
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => Create(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value, multiplexing: null));
        services.AddKeyedSingleton(SessionDataSource, (sp, _) => Create(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value, multiplexing: false));
        services.AddSingleton(sp => new MigrationRunner(
            sp.GetRequiredKeyedService<NpgsqlDataSource>(SessionDataSource), sp.GetRequiredService<ILogger<MigrationRunner>>()));
        return services;
    }

    private static NpgsqlDataSource Create(DatabaseOptions options, bool? multiplexing)
    {
        var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        var settings = builder.ConnectionStringBuilder;
        settings.ApplicationName ??= "vigor";
        // Hot point reads (auth state, me) run thousands of times a second: prepare them once per connection and,
        // by default, multiplex concurrent commands over few connections (measured in bench/me.sh). Transactions
        // still get a connection of their own; only session state (advisory locks) needs the session data source.
        if (settings.MaxAutoPrepare == 0)
            settings.MaxAutoPrepare = 64;
        settings.NoResetOnClose = true;
        settings.Multiplexing = multiplexing ?? options.Multiplexing;
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
    }
}
