using Dapper;
using Npgsql;
using Vigor.Core.Infrastructure.Http;

namespace Vigor.Core.BodyMetrics;

internal sealed class BodyMetricRepository(NpgsqlDataSource dataSource)
{
    private sealed record Row(Guid Id, DateTime MeasuredAt, decimal? WeightKg, decimal? BodyFatPct, decimal? WaistCm, DateTime CreatedAt);

    private const string Columns = "id, measured_at, weight_kg, body_fat_pct, waist_cm, created_at";

    public async Task<BodyMetricView> InsertAsync(Guid userId, DateTimeOffset measuredAt, BodyMetricRequest values, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleAsync<Row>(new CommandDefinition($"""
            INSERT INTO body_metrics (id, user_id, measured_at, weight_kg, body_fat_pct, waist_cm)
            VALUES (@id, @userId, @measuredAt, @WeightKg, @BodyFatPct, @WaistCm)
            RETURNING {Columns}
            """, new
        {
            id = Guid.CreateVersion7(),
            userId,
            measuredAt = measuredAt.UtcDateTime,
            WeightKg = (decimal?)values.WeightKg,
            BodyFatPct = (decimal?)values.BodyFatPct,
            WaistCm = (decimal?)values.WaistCm,
        }, cancellationToken: ct));
        return ToView(row);
    }

    /// <summary>Newest first; the cursor is the last entry of the previous page (keyset on measured_at, id).</summary>
    public async Task<IReadOnlyList<BodyMetricView>> ListOwnAsync(Guid userId, DateRange range, Guid? after, int limit, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<Row>(new CommandDefinition($"""
            SELECT {Columns} FROM body_metrics
            WHERE user_id = @userId AND measured_at BETWEEN @from AND @to
              AND (@after::uuid IS NULL OR (measured_at, id) <
                   (SELECT c.measured_at, c.id FROM body_metrics c WHERE c.id = @after AND c.user_id = @userId))
            ORDER BY measured_at DESC, id DESC
            LIMIT @limit
            """, new { userId, from = range.From.UtcDateTime, to = range.To.UtcDateTime, after, limit }, cancellationToken: ct));
        return rows.Select(ToView).ToList();
    }

    private static BodyMetricView ToView(Row row) => new(
        row.Id, new DateTimeOffset(DateTime.SpecifyKind(row.MeasuredAt, DateTimeKind.Utc)),
        (double?)row.WeightKg, (double?)row.BodyFatPct, (double?)row.WaistCm, row.CreatedAt);
}
