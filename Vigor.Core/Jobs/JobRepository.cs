using Dapper;
using Npgsql;

namespace Vigor.Core.Jobs;

internal sealed class JobRepository(NpgsqlDataSource dataSource)
{
    public sealed record Row(string Id, Guid UserId, string Kind, DateTime CreatedAt);

    public async Task<Row> CreateAsync(string id, Guid userId, string kind, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleAsync<Row>(new CommandDefinition("""
            INSERT INTO jobs (id, user_id, kind) VALUES (@id, @userId, @kind)
            RETURNING id, user_id, kind, created_at
            """, new { id, userId, kind }, cancellationToken: ct));
    }

    public async Task<Row?> GetOwnAsync(string id, Guid userId, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT id, user_id, kind, created_at FROM jobs WHERE id = @id AND user_id = @userId", new { id, userId }, cancellationToken: ct));
    }
}
