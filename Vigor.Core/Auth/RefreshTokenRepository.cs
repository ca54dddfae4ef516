using System.Security.Cryptography;
using Dapper;
using Npgsql;

namespace Vigor.Core.Auth;

/// <summary>
/// Opaque refresh tokens (256 random bits, stored only as SHA-256) in families. Each use spends the token and
/// issues the next one in the same family; presenting a spent token revokes the whole family (RFC 9700 §4.14).
/// Two concurrent uses of one token: the row lock lets exactly one spend it, the other counts as reuse.
/// </summary>
internal sealed class RefreshTokenRepository(NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task<string> StartFamilyAsync(Guid userId, TimeSpan lifetime, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var familyId = Guid.CreateVersion7();
        await conn.ExecuteAsync(new CommandDefinition(
            "INSERT INTO refresh_token_families (id, user_id) VALUES (@familyId, @userId)", new { familyId, userId }, tx, cancellationToken: ct));
        var token = await InsertTokenAsync(conn, tx, familyId, userId, lifetime, ct);
        await tx.CommitAsync(ct);
        return token;
    }

    /// <summary>Spends <paramref name="token"/> and returns the next one, or null (unknown, expired, revoked, or reused: then the family is revoked).</summary>
    public async Task<(Guid UserId, string Role, string Token)?> RotateAsync(string token, TimeSpan lifetime, CancellationToken ct)
    {
        var hash = Hash(token);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var spent = await conn.QuerySingleOrDefaultAsync<(Guid FamilyId, Guid UserId, string Role)?>(new CommandDefinition("""
            UPDATE refresh_tokens t SET spent_at = now()
            FROM refresh_token_families f, users u
            WHERE t.token_hash = @hash AND t.spent_at IS NULL AND t.expires_at > @now
              AND f.id = t.family_id AND f.revoked_at IS NULL
              AND u.id = t.user_id AND u.status = 'active'
            RETURNING t.family_id, t.user_id, u.role
            """, new { hash, now = time.GetUtcNow() }, tx, cancellationToken: ct));
        if (spent is { } row)
        {
            var next = await InsertTokenAsync(conn, tx, row.FamilyId, row.UserId, lifetime, ct);
            await tx.CommitAsync(ct);
            return (row.UserId, row.Role, next);
        }

        await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE refresh_token_families SET revoked_at = now(), revoked_reason = 'reuse'
            WHERE revoked_at IS NULL
              AND id = (SELECT family_id FROM refresh_tokens WHERE token_hash = @hash AND spent_at IS NOT NULL)
            """, new { hash }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return null;
    }

    public async Task RevokeFamilyAsync(string token, string reason, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE refresh_token_families SET revoked_at = now(), revoked_reason = @reason
            WHERE revoked_at IS NULL AND id = (SELECT family_id FROM refresh_tokens WHERE token_hash = @hash)
            """, new { hash = Hash(token), reason }, cancellationToken: ct));
    }

    /// <summary>Deletes tokens past expiry and families left empty or revoked long ago. Returns the tokens deleted.</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var now = time.GetUtcNow();
        var tokens = await conn.ExecuteAsync(new CommandDefinition(
            "DELETE FROM refresh_tokens WHERE expires_at < @now", new { now }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition("""
            DELETE FROM refresh_token_families f
            WHERE NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = f.id)
            """, transaction: tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return tokens;
    }

    private async Task<string> InsertTokenAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid familyId, Guid userId, TimeSpan lifetime, CancellationToken ct)
    {
        var token = Base64UrlToken();
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO refresh_tokens (token_hash, family_id, user_id, expires_at) VALUES (@hash, @familyId, @userId, @expiresAt)
            """, new { hash = Hash(token), familyId, userId, expiresAt = time.GetUtcNow() + lifetime }, tx, cancellationToken: ct));
        return token;
    }

    private static string Base64UrlToken() => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    private static byte[] Hash(string token) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));
}
