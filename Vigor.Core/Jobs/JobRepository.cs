using Dapper;
using Npgsql;
using Vigor.Core.Infrastructure.Data;

namespace Vigor.Core.Jobs;

internal sealed class JobRepository(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <param name="Inline">An AI request that began in the HTTP request (it has a stored input).</param>
    /// <param name="Result">The output of an inline job that finished without Durable.</param>
    public sealed record Row(string Id, Guid UserId, string Kind, DateTime CreatedAt, bool Inline = false, bool HandedOver = false, string? Result = null);

    private const string Columns = "id, user_id, kind, created_at, input IS NOT NULL AS inline, handed_over, result::text AS result";

    public async Task<Row> CreateAsync(string id, Guid userId, string kind, CancellationToken ct, string? input = null)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleAsync<Row>(new CommandDefinition($"""
            INSERT INTO jobs (id, user_id, kind, input) VALUES (@id, @userId, @kind, @input::jsonb)
            RETURNING {Columns}
            """, new { id, userId, kind, input }, cancellationToken: ct));
    }

    public async Task<Row?> GetOwnAsync(string id, Guid userId, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM jobs WHERE id = @id AND user_id = @userId", new { id, userId }, cancellationToken: ct));
    }

    /// <summary>
    /// An AI job's row with its input, as a statement that commits with the job's first counter change (the reservation),
    /// stamped <paramref name="createdAt"/> (the app's clock, to the microsecond PostgreSQL keeps). Idempotent: when the
    /// reservation fails, <see cref="EnsureAsync"/> writes the same row on its own.
    /// </summary>
    public static PgStatement CreateStatement(Row row, string input) => new("""
        INSERT INTO jobs (id, user_id, kind, input, created_at) VALUES ($1, $2, $3, $4::jsonb, $5) ON CONFLICT (id) DO NOTHING
        """, row.Id, row.UserId, row.Kind, input, row.CreatedAt);

    /// <summary>
    /// A job that finishes in the batch that creates it (a cache hit on a remembered entry): its row written complete,
    /// without the input that only a hand-over reads. Over a row <see cref="EnsureAsync"/> wrote meanwhile (a wait that
    /// ended first) it completes that row, as <see cref="CompleteStatement"/> would; it changes no row once the job was
    /// handed over.
    /// </summary>
    public static PgStatement CreateCompletedStatement(Row row, string result) => new("""
        INSERT INTO jobs AS j (id, user_id, kind, result, created_at, completed_at) VALUES ($1, $2, $3, $4::json, $5, now())
        ON CONFLICT (id) DO UPDATE SET result = excluded.result, completed_at = excluded.completed_at
        WHERE NOT j.handed_over AND j.completed_at IS NULL
        """, row.Id, row.UserId, row.Kind, result, row.CreatedAt);

    /// <summary>Runs a <see cref="CreateStatement"/> on its own (a no-op when the row was written).</summary>
    public async Task EnsureAsync(PgStatement create, CancellationToken ct) => await PgBatch.ExecuteAsync(dataSource, [create], ct);

    /// <summary>The app's current time as a job's <c>created_at</c> keeps it (microseconds): recovery judges it by the same clock.</summary>
    public DateTime Now() => PgBatch.Timestamp(time);

    /// <summary><see cref="CompleteAsync"/> as a statement, for the settle step's batch; it changes one row, or none when the job was handed over.</summary>
    public static PgStatement CompleteStatement(string id, string result) => new(
        "UPDATE jobs SET result = $2::json, completed_at = now() WHERE id = $1 AND NOT handed_over AND completed_at IS NULL", id, result);

    /// <summary>Stores an inline job's output; false when the job was handed to the orchestrator meanwhile (its output is Durable's).</summary>
    public async Task<bool> CompleteAsync(string id, string result, CancellationToken ct)
        => (await PgBatch.ExecuteAsync(dataSource, [CompleteStatement(id, result)], ct)).RecordsAffected[0] > 0;

    /// <summary>Marks an inline job as the orchestrator's; false when it had finished or was handed over already.</summary>
    public async Task<bool> HandOverAsync(string id, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE jobs SET handed_over = true WHERE id = @id AND NOT handed_over AND completed_at IS NULL", new { id }, cancellationToken: ct)) > 0;
    }

    /// <summary>Inline jobs created before <paramref name="before"/> that neither finished nor were handed over: their instance died.</summary>
    public async Task<IReadOnlyList<(string Id, string Input)>> StalledAsync(DateTimeOffset before, int limit, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<(string, string)>(new CommandDefinition("""
            SELECT id, input::text FROM jobs
            WHERE input IS NOT NULL AND completed_at IS NULL AND NOT handed_over AND created_at < @before
            ORDER BY created_at LIMIT @limit
            """, new { before = before.UtcDateTime, limit }, cancellationToken: ct))).AsList();
    }
}
