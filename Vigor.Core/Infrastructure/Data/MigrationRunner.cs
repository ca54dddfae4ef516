using System.Reflection;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Vigor.Core.Infrastructure.Data;

/// <summary>
/// Applies the numbered SQL files embedded under Infrastructure/Migrations, each once, in order.
/// A session-level advisory lock makes concurrent starts (two instances, scale-out) wait for each other
/// instead of racing; every file runs in its own transaction with its version row.
/// </summary>
internal sealed class MigrationRunner(NpgsqlDataSource dataSource, ILogger<MigrationRunner> logger)
{
    private const long LockKey = 0x5649474F52; // "VIGOR"

    public static IReadOnlyList<(int Version, string Name, string Sql)> LoadMigrations()
    {
        var assembly = typeof(MigrationRunner).Assembly;
        var prefix = "Vigor.Core.Infrastructure.Migrations.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n[prefix.Length..];
                var version = int.Parse(file[..file.IndexOf('_', StringComparison.Ordinal)].TrimStart('V', 'v'), System.Globalization.CultureInfo.InvariantCulture);
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return (version, file, reader.ReadToEnd());
            })
            .OrderBy(m => m.version)
            .ToList();
    }

    public async Task<int> MigrateAsync(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@LockKey)", new { LockKey }, cancellationToken: ct));
        try
        {
            await conn.ExecuteAsync(new CommandDefinition("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version int PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, cancellationToken: ct));
            var applied = (await conn.QueryAsync<int>(new CommandDefinition("SELECT version FROM schema_migrations", cancellationToken: ct))).ToHashSet();
            var count = 0;
            foreach (var (version, name, sql) in LoadMigrations().Where(m => !applied.Contains(m.Version)))
            {
                await using var tx = await conn.BeginTransactionAsync(ct);
                await conn.ExecuteAsync(new CommandDefinition(sql, transaction: tx, cancellationToken: ct));
                await conn.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO schema_migrations (version, name) VALUES (@version, @name)", new { version, name }, tx, cancellationToken: ct));
                await tx.CommitAsync(ct);
                logger.LogInformation("Applied migration {Migration}", name);
                count++;
            }
            return count;
        }
        finally
        {
            await conn.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock(@LockKey)", new { LockKey }, cancellationToken: CancellationToken.None));
        }
    }
}
