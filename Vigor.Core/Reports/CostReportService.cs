using System.Globalization;
using Microsoft.Extensions.Logging;
using Vigor.Core.Infrastructure;
using Vigor.Core.Infrastructure.Http;

namespace Vigor.Core.Reports;

/// <summary>A report just built: <c>Created</c> is false when it replaced the period's earlier report.</summary>
public sealed record CostReportBuild(CostReportSummary Report, bool Created);

/// <summary>Builds, stores and serves cost reports: on schedule for the last complete period, or for any past period on request.</summary>
internal sealed class CostReportService(
    CostReportBuilder builder, CostReportRepository reports, CostReportNotifier notifier, TimeProvider time, ILogger<CostReportService> logger)
{
    private static readonly DateOnly Earliest = new(2000, 1, 1);

    /// <summary>The timers' entry: the day or ISO week before now. A retry rebuilds the same row, and posts nothing twice.</summary>
    public async Task<CostReportBuild> BuildLastCompleteAsync(string kind, CancellationToken ct)
    {
        var period = CostReportPeriod.LastComplete(kind, time.GetUtcNow());
        var content = await builder.BuildAsync(period, ct);
        var build = await SaveAsync(period, content, actor: null, ct);
        if (build.Created)
            await notifier.PostAsync(build.Report, content, ct);
        return build;
    }

    public async Task<Outcome<CostReportBuild>> CreateAsync(Guid actor, CostReportRequest body, CancellationToken ct)
    {
        if (!CostReportKinds.IsKnown(body.Kind))
            return Problems.Validation("kind", $"must be {CostReportKinds.Daily} or {CostReportKinds.Weekly}.");
        var kind = body.Kind!;
        var period = CostReportPeriod.LastComplete(kind, time.GetUtcNow());
        if (body.PeriodStart is { } first)
        {
            var errors = new FieldErrors();
            errors.Check(first >= Earliest, "periodStart", $"must not be before {Earliest:yyyy-MM-dd}.");
            errors.Check(kind != CostReportKinds.Weekly || first.DayOfWeek == DayOfWeek.Monday, "periodStart", "must be a Monday: weekly reports cover ISO weeks.");
            var asked = CostReportPeriod.Of(kind, first);
            errors.Check(asked.End <= period.End, "periodStart", $"must start a period that has ended; the latest complete {kind} period starts {period.FirstDay:yyyy-MM-dd}.");
            if (!errors.IsEmpty)
                return errors.ToProblem();
            period = asked;
        }
        return await SaveAsync(period, await builder.BuildAsync(period, ct), actor, ct);
    }

    public Task<CostReport?> GetAsync(Guid id, CancellationToken ct) => reports.GetAsync(id, ct);

    public Task<Page<CostReportSummary>> ListAsync(string? kind, PageRequest page, CancellationToken ct) => reports.ListAsync(kind, page, ct);

    private async Task<CostReportBuild> SaveAsync(CostReportPeriod period, CostReportContent content, Guid? actor, CancellationToken ct)
    {
        var (report, created) = await reports.SaveAsync(period, content, actor, ct);
        ReportsLog.CostReportBuilt(logger, report.Kind, period.FirstDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), report.TotalCostUsd, created);
        return new CostReportBuild(report, created);
    }
}
