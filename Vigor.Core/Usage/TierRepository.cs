using Dapper;
using Npgsql;

namespace Vigor.Core.Usage;

// Tiers are read from the database on every use (no cache): an admin's edit applies to the next request.
internal sealed class TierRepository(NpgsqlDataSource dataSource)
{
    private const string Columns = "name, price_usd, requests_per_day, requests_per_week, requests_per_month, monthly_budget_usd, features, model_class, priority";

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

    /// <summary>
    /// A user's tier with their ledger totals per window, in one round trip; null for an unknown user. Requests are
    /// ledger rows of a first attempt or a cache hit (one per AI request, as the rollups count them). The scan is the
    /// user's rows since the earlier of the week and month starts, index-only on <c>llm_calls_user_usage</c>.
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
                SELECT count(*) FILTER (WHERE (c.attempt = 1 OR c.cache_hit) AND c.created_at >= @day) AS day_requests,
                       count(*) FILTER (WHERE (c.attempt = 1 OR c.cache_hit) AND c.created_at >= @week) AS week_requests,
                       count(*) FILTER (WHERE (c.attempt = 1 OR c.cache_hit) AND c.created_at >= @month) AS month_requests,
                       coalesce(sum(c.cost_usd) FILTER (WHERE c.created_at >= @month), 0) AS month_cost_usd,
                       coalesce(sum(c.input_tokens) FILTER (WHERE c.created_at >= @month), 0) AS month_input_tokens,
                       coalesce(sum(c.output_tokens) FILTER (WHERE c.created_at >= @month), 0) AS month_output_tokens
                FROM llm_calls c
                WHERE c.user_id = u.id AND c.created_at >= @since
            ) l
            WHERE u.id = @userId
            """, new { userId, day = starts.Day, week = starts.Week, month = starts.Month, since = starts.Since }, cancellationToken: ct));
    }
}
