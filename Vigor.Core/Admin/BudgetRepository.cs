using Dapper;
using Npgsql;

namespace Vigor.Core.Admin;

internal sealed class BudgetRepository(NpgsqlDataSource dataSource)
{
    /// <summary>The row of <c>budget_settings</c>, as the audit log records it.</summary>
    // A class with setters: Dapper hands int[] over as System.Array, which only a setter accepts.
    public sealed class Settings
    {
        public decimal GlobalMonthlyUsd { get; init; }
        public int[] AlertThresholds { get; init; } = [];
        public bool HardStop { get; init; }
        public DateTime UpdatedAt { get; init; }
    }

    private const string Columns = "global_monthly_usd, alert_thresholds, hard_stop, updated_at";

    public async Task<Settings> GetAsync(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleAsync<Settings>(new CommandDefinition($"SELECT {Columns} FROM budget_settings WHERE id = 1", cancellationToken: ct));
    }

    public async Task<Settings> UpdateAsync(decimal globalMonthlyUsd, int[] alertThresholds, bool hardStop, Guid actor, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var before = await conn.QuerySingleAsync<Settings>(new CommandDefinition(
            $"SELECT {Columns} FROM budget_settings WHERE id = 1 FOR UPDATE", transaction: tx, cancellationToken: ct));
        var after = await conn.QuerySingleAsync<Settings>(new CommandDefinition($"""
            UPDATE budget_settings SET global_monthly_usd = @globalMonthlyUsd, alert_thresholds = @alertThresholds, hard_stop = @hardStop, updated_at = now()
            WHERE id = 1
            RETURNING {Columns}
            """, new { globalMonthlyUsd, alertThresholds, hardStop }, tx, cancellationToken: ct));
        await AuditLog.WriteAsync(conn, tx, new AuditChange(actor, AuditActions.BudgetsUpdate, "budgets", before, after), ct);
        await tx.CommitAsync(ct);
        return after;
    }
}
