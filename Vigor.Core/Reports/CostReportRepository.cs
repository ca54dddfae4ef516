using System.Text.Json;
using Dapper;
using Npgsql;
using Vigor.Core.Admin;
using Vigor.Core.Infrastructure.Http;

namespace Vigor.Core.Reports;

/// <summary><c>cost_reports</c>: one row per (kind, period start); building a period again replaces its report and keeps its id.</summary>
internal sealed class CostReportRepository(NpgsqlDataSource dataSource)
{
    public const string CreateAction = "report.create";

    private const string SummaryColumns = "id, kind, period_start, period_end, created_at, total_cost_usd";

    /// <summary>Stores the report (audit-logged when an admin asked for it); <c>Created</c> is false when it replaced one.</summary>
    public async Task<(CostReportSummary Report, bool Created)> SaveAsync(CostReportPeriod period, CostReportContent content, Guid? actor, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var args = new { kind = period.Kind, start = period.Start };
        var before = actor is null ? null : await conn.QuerySingleOrDefaultAsync<CostReportSummary>(new CommandDefinition(
            $"SELECT {SummaryColumns} FROM cost_reports WHERE kind = @kind AND period_start = @start FOR UPDATE", args, tx, cancellationToken: ct));
        // xmax is 0 on a row version this statement inserted, the locking transaction's id on one it updated.
        var saved = await conn.QuerySingleAsync<SavedRow>(new CommandDefinition($"""
            INSERT INTO cost_reports (id, kind, period_start, period_end, total_cost_usd, body)
            VALUES (@id, @kind, @start, @end, @total, @body::jsonb)
            ON CONFLICT (kind, period_start) DO UPDATE
                SET period_end = excluded.period_end, created_at = now(), total_cost_usd = excluded.total_cost_usd, body = excluded.body
            RETURNING {SummaryColumns}, xmax = 0 AS inserted
            """, new
        {
            id = Guid.CreateVersion7(), kind = period.Kind, start = period.Start, end = period.End, total = content.Total.CostUsd,
            body = JsonSerializer.Serialize(content, VigorJson.Options),
        }, tx, cancellationToken: ct));
        var summary = new CostReportSummary(saved.Id, saved.Kind, saved.PeriodStart, saved.PeriodEnd, saved.CreatedAt, saved.TotalCostUsd);
        if (actor is { } actorId)
            await AuditLog.WriteAsync(conn, tx, new AuditChange(actorId, CreateAction, "report:" + summary.Id, before, summary), ct);
        await tx.CommitAsync(ct);
        return (summary, saved.Inserted);
    }

    public async Task<CostReport?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<StoredRow>(new CommandDefinition(
            $"SELECT {SummaryColumns}, body::text AS body FROM cost_reports WHERE id = @id", new { id }, cancellationToken: ct));
        return row is null
            ? null
            : new CostReport(row.Id, row.Kind, row.PeriodStart, row.PeriodEnd, row.CreatedAt, JsonSerializer.Deserialize<CostReportContent>(row.Body, VigorJson.Options)!);
    }

    /// <summary>Newest period first (keyset on period start, then id); the cursor is the last report's id.</summary>
    public async Task<Page<CostReportSummary>> ListAsync(string? kind, PageRequest page, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<CostReportSummary>(new CommandDefinition($"""
            SELECT {SummaryColumns} FROM cost_reports
            WHERE (@kind::text IS NULL OR kind = @kind)
              AND (@after::uuid IS NULL OR (period_start, id) < (SELECT a.period_start, a.id FROM cost_reports a WHERE a.id = @after))
            ORDER BY period_start DESC, id DESC
            LIMIT @limit
            """, new { kind, after = page.After, limit = page.Limit + 1 }, cancellationToken: ct));
        return Paging.ToPage(rows.AsList(), page.Limit, r => r.Id);
    }

    private sealed record SavedRow(Guid Id, string Kind, DateTime PeriodStart, DateTime PeriodEnd, DateTime CreatedAt, decimal TotalCostUsd, bool Inserted);

    private sealed record StoredRow(Guid Id, string Kind, DateTime PeriodStart, DateTime PeriodEnd, DateTime CreatedAt, decimal TotalCostUsd, string Body);
}
