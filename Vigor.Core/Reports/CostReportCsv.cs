using System.Text;

namespace Vigor.Core.Reports;

/// <summary>
/// The CSV form (RFC 4180: CRLF, fields with a comma, quote or line break quoted, quotes doubled). One header; the first
/// column names the row's section (report, total, day, provider, model, tier, feature, user, summary, month, budget,
/// provider_budget), so each breakdown is one row type. Text that a spreadsheet would run as a formula (starting with
/// = + - @, tab or CR) gets a leading apostrophe (OWASP, CSV injection).
/// </summary>
internal static class CostReportCsv
{
    public const string Header = "section,key,detail,requests,calls,input_tokens,output_tokens,cost_usd,active_users,value";

    public static string Write(CostReport report)
    {
        var csv = new StringBuilder(4096).Append(Header).Append("\r\n");
        var content = report.Report;
        Value(csv, "report", "id", report.Id.ToString());
        Value(csv, "report", "kind", report.Kind);
        Value(csv, "report", "period_start", ReportFormat.Instant(report.PeriodStart));
        Value(csv, "report", "period_end", ReportFormat.Instant(report.PeriodEnd));
        Value(csv, "report", "created_at", ReportFormat.Instant(report.CreatedAt));
        Line(csv, "total", content.Total);
        foreach (var (section, _, lines) in ReportFormat.Breakdowns(content))
        {
            foreach (var line in lines)
                Line(csv, section, line);
        }
        foreach (var user in content.TopUsers)
        {
            Row(csv, "user", user.UserId.ToString(), user.Email ?? "", ReportFormat.Count(user.Requests), "", ReportFormat.Count(user.InputTokens),
                ReportFormat.Count(user.OutputTokens), ReportFormat.Usd(user.CostUsd), "", "");
        }
        foreach (var (section, key, value) in ReportFormat.Figures(content))
            Value(csv, section, key, value);
        foreach (var provider in content.Budget.Providers)
        {
            foreach (var (key, value) in ReportFormat.Figures(provider))
                Row(csv, "provider_budget", provider.Name, key, "", "", "", "", "", "", value);
        }
        return csv.ToString();
    }

    private static void Line(StringBuilder csv, string section, UsageLine line)
        => Row(csv, section, line.Key, "", ReportFormat.Count(line.Requests), ReportFormat.Count(line.Calls), ReportFormat.Count(line.InputTokens),
            ReportFormat.Count(line.OutputTokens), ReportFormat.Usd(line.CostUsd), ReportFormat.Count(line.ActiveUsers), "");

    private static void Value(StringBuilder csv, string section, string key, string value) => Row(csv, section, key, "", "", "", "", "", "", "", value);

    private static void Row(StringBuilder csv, params ReadOnlySpan<string> fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
                csv.Append(',');
            Field(csv, fields[i]);
        }
        csv.Append("\r\n");
    }

    internal static void Field(StringBuilder csv, string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
            value = "'" + value;
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            csv.Append(value);
            return;
        }
        csv.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
