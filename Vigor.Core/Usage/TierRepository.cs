using Dapper;
using Npgsql;

namespace Vigor.Core.Usage;

// Tiers are read from the database on every use (no cache): an admin's edit applies to the next request.
internal sealed class TierRepository(NpgsqlDataSource dataSource)
{
    internal const string Columns = "name, price_usd, requests_per_day, requests_per_week, requests_per_month, monthly_budget_usd, features, model_class, priority";

    public async Task<IReadOnlyList<Tier>> ListAsync(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<Tier>(new CommandDefinition($"SELECT {Columns} FROM tiers ORDER BY priority", cancellationToken: ct))).AsList();
    }

    public async Task<Tier?> GetAsync(string name, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<Tier>(new CommandDefinition($"SELECT {Columns} FROM tiers WHERE name = @name", new { name }, cancellationToken: ct));
    }

    /// <summary>The tier a user is on now, read by the user's id (so it can be read while the user's row is); null for an unknown user.</summary>
    public async Task<Tier?> GetForUserAsync(Guid userId, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<Tier>(new CommandDefinition(
            $"SELECT {UserTierColumns} FROM users u JOIN tiers t ON t.name = u.tier WHERE u.id = @userId", new { userId }, cancellationToken: ct));
    }

    private static readonly string UserTierColumns = string.Join(", ", Columns.Split(", ").Select(c => "t." + c));

    /// <summary>
    /// A user's tier with their ledger totals per window, in one round trip; null for an unknown user. Requests are
    /// ledger rows of a first attempt or a cache hit (one per AI request, as the rollups count them). The totals are
    /// the rows of <c>user_usage_totals</c> per UTC day, kept equal to the ledger by its triggers (migrations 0011,
    /// 0027): the day's row, and the sums of the week's and the month's days (at most 37 rows, read by key).
    /// </summary>
    public async Task<UserTierUsage?> GetUsageAsync(Guid userId, UsageStarts starts, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<UserTierUsage>(new CommandDefinition("""
            SELECT t.name, t.price_usd, t.requests_per_day, t.requests_per_week, t.requests_per_month, t.monthly_budget_usd, t.features,
                   t.model_class, t.priority, l.day_requests, l.week_requests, l.month_requests, l.month_cost_usd,
                   l.month_input_tokens, l.month_output_tokens
            FROM users u
            JOIN tiers t ON t.name = u.tier
            CROSS JOIN LATERAL (
                SELECT coalesce(sum(x.requests) FILTER (WHERE x.period_start = @day), 0)::bigint AS day_requests,
                       coalesce(sum(x.requests) FILTER (WHERE x.period_start >= @week AND x.period_start < @weekEnd), 0)::bigint AS week_requests,
                       coalesce(sum(x.requests) FILTER (WHERE x.period_start >= @month AND x.period_start < @monthEnd), 0)::bigint AS month_requests,
                       coalesce(sum(x.cost_usd) FILTER (WHERE x.period_start >= @month AND x.period_start < @monthEnd), 0) AS month_cost_usd,
                       coalesce(sum(x.input_tokens) FILTER (WHERE x.period_start >= @month AND x.period_start < @monthEnd), 0)::bigint AS month_input_tokens,
                       coalesce(sum(x.output_tokens) FILTER (WHERE x.period_start >= @month AND x.period_start < @monthEnd), 0)::bigint AS month_output_tokens
                FROM user_usage_totals x
                WHERE x.user_id = u.id AND x.period = 'day'
                  AND x.period_start >= least(@week, @month) AND x.period_start < greatest(@weekEnd, @monthEnd)
            ) l
            WHERE u.id = @userId
            """, new
            {
                userId,
                day = DateOnly.FromDateTime(starts.Day),
                week = DateOnly.FromDateTime(starts.Week),
                weekEnd = DateOnly.FromDateTime(starts.Week).AddDays(7),
                month = DateOnly.FromDateTime(starts.Month),
                monthEnd = DateOnly.FromDateTime(starts.Month).AddMonths(1),
            }, cancellationToken: ct));
    }
}
