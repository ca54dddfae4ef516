using Dapper;
using Npgsql;

namespace Vigor.Core.Auth;

internal sealed class UserRepository(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, email, email_normalized, password_hash, display_name, birth_year, is_minor, role, tier, status, created_at";

    public static string Normalize(string email) => email.Trim().ToLowerInvariant();

    /// <summary>Inserts the user and an empty profile; null when the email is taken.</summary>
    public async Task<UserRow?> CreateAsync(UserRow user, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var created = await conn.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition($"""
            INSERT INTO users (id, email, email_normalized, password_hash, display_name, birth_year, is_minor, role, tier, status)
            VALUES (@Id, @Email, @EmailNormalized, @PasswordHash, @DisplayName, @BirthYear, @IsMinor, @Role, @Tier, @Status)
            ON CONFLICT (email_normalized) DO NOTHING
            RETURNING {Columns}
            """, user, tx, cancellationToken: ct));
        if (created is null)
            return null;
        await conn.ExecuteAsync(new CommandDefinition("INSERT INTO profiles (user_id) VALUES (@Id)", new { user.Id }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return created;
    }

    public async Task<UserRow?> FindByEmailAsync(string email, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE email_normalized = @email", new { email = Normalize(email) }, cancellationToken: ct));
    }

    public async Task<UserRow?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE id = @id", new { id }, cancellationToken: ct));
    }

    /// <summary>Role and status only: what authentication needs on every request.</summary>
    public async Task<(string Role, string Status)?> GetAuthStateAsync(Guid id, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<(string, string)?>(new CommandDefinition(
            "SELECT role, status FROM users WHERE id = @id", new { id }, cancellationToken: ct));
        return row;
    }

    public async Task UpdatePasswordHashAsync(Guid id, string hash, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET password_hash = @hash, updated_at = now() WHERE id = @id", new { id, hash }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<UserRow>> SearchAsync(string? query, Guid? after, int limit, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var pattern = string.IsNullOrWhiteSpace(query) ? null : "%" + EscapeLike(query.Trim().ToLowerInvariant()) + "%";
        var rows = await conn.QueryAsync<UserRow>(new CommandDefinition($"""
            SELECT {Columns} FROM users
            WHERE (@pattern::text IS NULL OR email_normalized LIKE @pattern OR lower(display_name) LIKE @pattern)
              AND (@after::uuid IS NULL OR id > @after)
            ORDER BY id
            LIMIT @limit
            """, new { pattern, after, limit }, cancellationToken: ct));
        return rows.AsList();
    }

    private static string EscapeLike(string value) => value.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
