using System.Data;
using Dapper;
using Npgsql;

namespace Vigor.Core.Reports;

/// <summary>What the ledger holds about a period and its month, read in one snapshot so every figure agrees.</summary>
internal sealed record LedgerFigures(
    IReadOnlyList<LedgerFigures.Line> Lines, IReadOnlyList<UserCost> TopUsers, decimal MonthSpentUsd, int MonthActiveUsers, decimal LastDaysSpentUsd,
    IReadOnlyList<ProviderBudget> ProviderBudgets, decimal GlobalMonthlyUsd, bool HardStop)
{
    /// <summary>One row of a breakdown: <c>Dimension</c> is day, provider, model, tier, feature or total.</summary>
    public sealed record Line(string Dimension, string Key, long Requests, long Calls, long InputTokens, long OutputTokens, decimal CostUsd, int ActiveUsers)
    {
        public UsageLine ToUsage() => new(Key, Requests, Calls, InputTokens, OutputTokens, CostUsd, ActiveUsers);
    }
}

/// <summary>
/// The SQL behind a cost report, over <c>llm_calls</c>: sums of the numeric cost column (exact), grouped in one scan.
/// A request is a first attempt or a cache hit, a call a provider attempt, as in the usage rollups.
/// </summary>
internal sealed class CostReportLedger(NpgsqlDataSource dataSource)
{
    public const int TopUserCount = 10;

    public async Task<LedgerFigures> ReadAsync(CostReportPeriod period, int lastDays, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        var args = new { start = period.Start, end = period.End, monthStart = period.MonthStart, lastStart = period.End.AddDays(-lastDays), top = TopUserCount };

        var lines = await conn.QueryAsync<LedgerFigures.Line>(new CommandDefinition("""
            SELECT CASE WHEN GROUPING(day) = 0 THEN 'day' WHEN GROUPING(provider) = 0 THEN 'provider' WHEN GROUPING(model) = 0 THEN 'model'
                        WHEN GROUPING(tier) = 0 THEN 'tier' WHEN GROUPING(feature) = 0 THEN 'feature' ELSE 'total' END AS dimension,
                   coalesce(day, provider, model, tier, feature, '') AS key,
                   count(*) FILTER (WHERE is_request) AS requests,
                   count(*) FILTER (WHERE NOT cache_hit) AS calls,
                   coalesce(sum(input_tokens), 0)::bigint AS input_tokens,
                   coalesce(sum(output_tokens), 0)::bigint AS output_tokens,
                   coalesce(sum(cost_usd), 0) AS cost_usd,
                   count(DISTINCT user_id) FILTER (WHERE is_request)::int AS active_users
            FROM (SELECT to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, coalesce(p.name, c.provider_kind) AS provider,
                         c.model, c.tier, c.feature, c.attempt = 1 OR c.cache_hit AS is_request, c.cache_hit,
                         c.input_tokens, c.output_tokens, c.cost_usd, c.user_id
                  FROM llm_calls c LEFT JOIN llm_providers p ON p.id = c.provider_id
                  WHERE c.created_at >= @start AND c.created_at < @end) calls
            GROUP BY GROUPING SETS ((day), (provider), (model), (tier), (feature), ())
            """, args, tx, cancellationToken: ct));

        var topUsers = await conn.QueryAsync<UserCost>(new CommandDefinition("""
            SELECT c.user_id, u.email, count(*) FILTER (WHERE c.attempt = 1 OR c.cache_hit) AS requests,
                   sum(c.input_tokens)::bigint AS input_tokens, sum(c.output_tokens)::bigint AS output_tokens, sum(c.cost_usd) AS cost_usd
            FROM llm_calls c LEFT JOIN users u ON u.id = c.user_id
            WHERE c.created_at >= @start AND c.created_at < @end AND c.user_id IS NOT NULL
            GROUP BY c.user_id, u.email
            ORDER BY sum(c.cost_usd) DESC, c.user_id
            LIMIT @top
            """, args, tx, cancellationToken: ct));

        var month = await conn.QuerySingleAsync<(decimal Spent, int Active, decimal LastDays)>(new CommandDefinition("""
            SELECT coalesce(sum(cost_usd) FILTER (WHERE created_at >= @monthStart), 0),
                   count(DISTINCT user_id) FILTER (WHERE created_at >= @monthStart AND (attempt = 1 OR cache_hit))::int,
                   coalesce(sum(cost_usd) FILTER (WHERE created_at >= @lastStart), 0)
            FROM llm_calls
            WHERE created_at >= least(@monthStart, @lastStart) AND created_at < @end
            """, args, tx, cancellationToken: ct));

        var providers = await conn.QueryAsync<ProviderBudget>(new CommandDefinition("""
            SELECT p.id AS provider_id, p.name, p.daily_cap_usd,
                   coalesce((SELECT max(d.spent) FROM (SELECT sum(c.cost_usd) AS spent FROM llm_calls c
                                                       WHERE c.provider_id = p.id AND c.created_at >= @start AND c.created_at < @end
                                                       GROUP BY date_trunc('day', c.created_at AT TIME ZONE 'UTC')) d), 0) AS peak_day_spent_usd,
                   p.monthly_cap_usd,
                   coalesce((SELECT sum(c.cost_usd) FROM llm_calls c
                             WHERE c.provider_id = p.id AND c.created_at >= @monthStart AND c.created_at < @end), 0) AS month_spent_usd
            FROM llm_providers p
            WHERE p.daily_cap_usd IS NOT NULL OR p.monthly_cap_usd IS NOT NULL
            ORDER BY p.name
            """, args, tx, cancellationToken: ct));

        var budget = await conn.QuerySingleAsync<(decimal GlobalMonthlyUsd, bool HardStop)>(new CommandDefinition(
            "SELECT global_monthly_usd, hard_stop FROM budget_settings WHERE id = 1", transaction: tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return new LedgerFigures(lines.AsList(), topUsers.AsList(), month.Spent, month.Active, month.LastDays, providers.AsList(), budget.GlobalMonthlyUsd, budget.HardStop);
    }
}
