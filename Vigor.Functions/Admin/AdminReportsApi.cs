using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Vigor.Core.Auth;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Reports;
using Vigor.Functions.Infrastructure;

namespace Vigor.Functions.Admin;

internal sealed class AdminReportsApi(CostReportService reports)
{
    [Function(nameof(ListCostReports))]
    [ApiDoc("Admin", "The stored cost reports, newest period first: id, kind, period [periodStart, periodEnd) in UTC, when built, total cost",
        Response = typeof(Page<CostReportSummary>), Errors = [400, 403])]
    [ApiQuery("kind", "string", "Only daily or only weekly reports")]
    [ApiQuery("limit", "integer", "Page size, 1-100 (default 20)")]
    [ApiQuery("cursor", "string", "The nextCursor of the previous page")]
    public async Task<IResult> ListCostReports([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/reports")] HttpRequest req, CancellationToken ct)
    {
        var paging = Paging.Read(req.Query);
        if (paging.Problem is not null)
            return paging.Problem;
        var kind = req.Query["kind"].ToString();
        if (kind.Length > 0 && !CostReportKinds.IsKnown(kind))
            return Problems.Validation("kind", $"must be {CostReportKinds.Daily} or {CostReportKinds.Weekly}.");
        return TypedResults.Ok(await reports.ListAsync(kind.Length == 0 ? null : kind, paging.Value, ct));
    }

    [Function(nameof(GetCostReport))]
    [ApiDoc("Admin", "One cost report as JSON (default), CSV (text/csv, one row type per breakdown) or a self-contained HTML page with an SVG chart",
        Response = typeof(CostReport), Errors = [400, 403, 404])]
    [ApiQuery("format", "string", "json (default), csv or html")]
    public async Task<IResult> GetCostReport(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/reports/{id}")] HttpRequest req, string id, CancellationToken ct)
    {
        var format = req.Query["format"].ToString();
        if (format is not ("" or "json" or "csv" or "html"))
            return Problems.Validation("format", "must be json, csv or html.");
        if (ResourceId.TryParse(id) is not { } reportId || await reports.GetAsync(reportId, ct) is not { } report)
            return Problems.NotFound("report");
        var name = $"vigor-{report.Kind}-cost-report-{report.PeriodStart:yyyy-MM-dd}";
        switch (format)
        {
            case "csv":
                req.HttpContext.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}.csv\"";
                return TypedResults.Text(CostReportCsv.Write(report), "text/csv; charset=utf-8; header=present");
            case "html":
                req.HttpContext.Response.Headers.ContentSecurityPolicy = CostReportHtml.ContentSecurityPolicy;
                return TypedResults.Text(CostReportHtml.Write(report), "text/html; charset=utf-8");
            default:
                return TypedResults.Ok(report);
        }
    }

    [Function(nameof(CreateCostReport))]
    [ApiDoc("Admin", "Build (or rebuild) the cost report of a past period now (audit-logged); periodStart defaults to the last complete day or ISO week",
        Request = typeof(CostReportRequest), Response = typeof(CostReportSummary), Status = 201, Errors = [400, 403, 413, 415])]
    public async Task<IResult> CreateCostReport([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/reports")] HttpRequest req, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<CostReportRequest>(req, ct, maxBytes: 1024);
        return problem ?? (await reports.CreateAsync(req.GetCaller().UserId, body!, ct)).ToResult(b => b.Created
            ? TypedResults.Created($"/api/admin/reports/{b.Report.Id}", b.Report)
            : TypedResults.Ok(b.Report));
    }
}
