using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigor.Core.Auth;
using Vigor.Core.Infrastructure.Data;

namespace Vigor.Core.Infrastructure;

/// <summary>
/// Runs before the host serves requests: migrations, a check that the signing keys load, the admin seed.
/// A failure stops startup with the reason, rather than answering requests with 500s.
/// </summary>
internal sealed class StartupInitializer(
    MigrationRunner migrations, SigningKeyRing keyRing, AdminSeeder adminSeeder, IOptions<DatabaseOptions> database,
    Exercises.CatalogueSeeder catalogueSeeder,
    ILogger<StartupInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (database.Value.MigrateOnStartup)
        {
            var applied = await migrations.MigrateAsync(cancellationToken);
            logger.LogInformation("Database ready ({Applied} migrations applied)", applied);
            await catalogueSeeder.SeedAsync(cancellationToken);
        }
        await keyRing.GetAsync(cancellationToken);
        await adminSeeder.SeedAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
