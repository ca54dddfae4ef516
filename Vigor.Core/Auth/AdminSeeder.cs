using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Vigor.Core.Infrastructure.Secrets;

namespace Vigor.Core.Auth;

/// <summary>Creates the configured admin account when it does not exist, or promotes an existing account to admin.</summary>
internal sealed class AdminSeeder(
    NpgsqlDataSource dataSource, ISecretStore secrets, IPasswordHasher<UserRow> hasher, IOptions<AdminOptions> options,
    TimeProvider time, ILogger<AdminSeeder> logger)
{
    public async Task SeedAsync(CancellationToken ct)
    {
        var email = options.Value.Email?.Trim();
        if (string.IsNullOrEmpty(email))
            return;
        var password = await secrets.GetAsync(SecretNames.AdminPassword, ct)
                       ?? throw new InvalidOperationException(
                           $"Setting 'Admin:Email' is set but the secret '{SecretNames.AdminPassword}' is missing from the secret store: it is the seeded admin's password.");
        var row = new UserRow(Guid.CreateVersion7(), email, UserRepository.Normalize(email), "", "Administrator",
            time.GetUtcNow().Year - 30, false, Roles.Admin, "unlimited", "active", time.GetUtcNow().UtcDateTime);
        row = row with { PasswordHash = hasher.HashPassword(row, password) };
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var inserted = await conn.ExecuteAsync(new CommandDefinition("""
            WITH created AS (
                INSERT INTO users (id, email, email_normalized, password_hash, display_name, birth_year, is_minor, role, tier, status)
                VALUES (@Id, @Email, @EmailNormalized, @PasswordHash, @DisplayName, @BirthYear, false, 'admin', @Tier, 'active')
                ON CONFLICT (email_normalized) DO UPDATE SET role = 'admin', updated_at = now()
                RETURNING id, (xmax = 0) AS inserted)
            INSERT INTO profiles (user_id) SELECT id FROM created WHERE inserted ON CONFLICT DO NOTHING
            """, row, cancellationToken: ct));
        logger.LogInformation("Admin account ensured ({Created})", inserted > 0 ? "created" : "already present");
    }
}
