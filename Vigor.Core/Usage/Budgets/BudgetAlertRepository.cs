using Dapper;
using Npgsql;

namespace Vigor.Core.Usage.Budgets;

internal sealed class BudgetSettings
{
    public decimal GlobalMonthlyUsd { get; set; }

    public int[] AlertThresholds { get; set; } = [];
}

internal sealed record BudgetAlert(long Id, string Scope, string Period, int Threshold, decimal SpentUsd, decimal LimitUsd, decimal? ForecastUsd, DateTime RaisedAt);

/// <summary><c>budget_alerts</c>: one row per (scope, period, threshold), so each crossing is raised once.</summary>
internal sealed class BudgetAlertRepository(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, scope, period, threshold, spent_usd, limit_usd, forecast_usd, raised_at";

    public async Task<BudgetSettings> GetSettingsAsync(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleAsync<BudgetSettings>(new CommandDefinition(
            "SELECT global_monthly_usd, alert_thresholds FROM budget_settings WHERE id = 1", cancellationToken: ct));
    }

    /// <summary>The new alert, or null when this scope already crossed this threshold in this period.</summary>
    public async Task<BudgetAlert?> TryRaiseAsync(string scope, string period, int threshold, decimal spentUsd, decimal limitUsd, decimal forecastUsd, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<BudgetAlert>(new CommandDefinition($"""
            INSERT INTO budget_alerts (scope, period, threshold, spent_usd, limit_usd, forecast_usd)
            VALUES (@scope, @period, @threshold, @spentUsd, @limitUsd, @forecastUsd)
            ON CONFLICT (scope, period, threshold) DO NOTHING
            RETURNING {Columns}
            """, new { scope, period, threshold, spentUsd, limitUsd, forecastUsd }, cancellationToken: ct));
    }

    /// <summary>Alerts of the period the webhook has not taken yet (delivery is retried by the next watch).</summary>
    public async Task<IReadOnlyList<BudgetAlert>> ListUnnotifiedAsync(string period, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<BudgetAlert>(new CommandDefinition(
            $"SELECT {Columns} FROM budget_alerts WHERE period = @period AND notified_at IS NULL ORDER BY id", new { period }, cancellationToken: ct))).AsList();
    }

    public async Task MarkNotifiedAsync(long id, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("UPDATE budget_alerts SET notified_at = now() WHERE id = @id", new { id }, cancellationToken: ct));
    }
}
