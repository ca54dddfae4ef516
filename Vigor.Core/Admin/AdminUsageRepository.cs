using Dapper;
using Npgsql;

namespace Vigor.Core.Admin;

/// <summary>
/// Usage grouped straight from the ledger (<c>llm_calls</c>): exact to the last settled row, for any range, including
/// part days. The range is a scan of the <c>llm_calls_created</c> index; one pass yields the groups, their number and the
/// totals (window aggregates run before the LIMIT).
/// </summary>
internal sealed class AdminUsageRepository(NpgsqlDataSource dataSource)
{
    private sealed record Row(string Key, string? Label, long Requests, long InputTokens, long OutputTokens, decimal CostUsd,
        long GroupCount, long TotalRequests, long TotalInputTokens, long TotalOutputTokens, decimal TotalCostUsd);

    // Key and label per grouping: fixed SQL fragments picked by a validated name, never text from the request.
    private static readonly Dictionary<string, (string Key, string Label, string Join, string Order)> Groupings = new(StringComparer.Ordinal)
    {
        [UsageGroupings.Day] = ("to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')", "NULL::text", "", "key"),
        [UsageGroupings.Tier] = ("c.tier", "NULL::text", "", "cost_usd DESC, key"),
        [UsageGroupings.Feature] = ("c.feature", "NULL::text", "", "cost_usd DESC, key"),
        // Rows without a provider (cache hits) group under their kind; a deleted provider keeps its id, without a name.
        [UsageGroupings.Provider] = ("coalesce(c.provider_id::text, c.provider_kind)", "max(p.name)", "LEFT JOIN llm_providers p ON p.id = c.provider_id", "cost_usd DESC, key"),
        [UsageGroupings.User] = ("coalesce(c.user_id::text, 'none')", "max(u.email)", "LEFT JOIN users u ON u.id = c.user_id", "cost_usd DESC, key"),
    };

    public async Task<UsageBreakdown> QueryAsync(DateTimeOffset from, DateTimeOffset to, string groupBy, int limit, CancellationToken ct)
    {
        var g = Groupings[groupBy];
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = (await conn.QueryAsync<Row>(new CommandDefinition($"""
            WITH groups AS (
                SELECT {g.Key} AS key, {g.Label} AS label,
                       count(*) FILTER (WHERE c.attempt = 1 OR c.cache_hit) AS requests,
                       sum(c.input_tokens)::bigint AS input_tokens, sum(c.output_tokens)::bigint AS output_tokens, sum(c.cost_usd) AS cost_usd
                FROM llm_calls c {g.Join}
                WHERE c.created_at >= @from AND c.created_at <= @to
                GROUP BY 1
            )
            SELECT key, label, requests, input_tokens, output_tokens, cost_usd,
                   count(*) OVER () AS group_count, sum(requests) OVER ()::bigint AS total_requests,
                   sum(input_tokens) OVER ()::bigint AS total_input_tokens, sum(output_tokens) OVER ()::bigint AS total_output_tokens,
                   sum(cost_usd) OVER () AS total_cost_usd
            FROM groups
            ORDER BY {g.Order}
            LIMIT @limit
            """, new { from = from.UtcDateTime, to = to.UtcDateTime, limit }, cancellationToken: ct))).AsList();
        var totals = rows.Count == 0
            ? new UsageTotals(0, 0, 0, 0)
            : new UsageTotals(rows[0].TotalRequests, rows[0].TotalInputTokens, rows[0].TotalOutputTokens, rows[0].TotalCostUsd);
        var groups = rows.ConvertAll(r => new UsageGroup(r.Key, r.Label, r.Requests, r.InputTokens, r.OutputTokens, r.CostUsd));
        return new UsageBreakdown(from, to, groupBy, groups, rows.Count == 0 ? 0 : (int)rows[0].GroupCount, totals);
    }
}
