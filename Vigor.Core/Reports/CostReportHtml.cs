using System.Text;
using System.Text.Encodings.Web;

namespace Vigor.Core.Reports;

/// <summary>
/// The HTML form: one self-contained page (inline CSS, the chart as inline SVG), no script and no URL of any kind, so
/// it renders offline and under <see cref="ContentSecurityPolicy"/>. Every value from the data is HTML-encoded.
/// Figures carry the CSV's names (<c>data-key</c>), so the page can be checked against the other forms.
/// </summary>
internal static class CostReportHtml
{
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private const string Style = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933;background:#f7f8fa;margin:0}
        main{max-width:960px;margin:0 auto;padding:24px}
        h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px}
        .meta{color:#52606d;margin:0}
        table{border-collapse:collapse;width:100%;background:#fff;margin-bottom:8px}
        th,td{padding:6px 10px;border-bottom:1px solid #e4e7eb;text-align:left}
        td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
        thead th{background:#eef1f4;font-weight:600}
        .chart{width:100%;height:auto;background:#fff}
        .bar{fill:#3b6fd4}.axis{stroke:#9aa5b1;stroke-width:1}.tick{font-size:11px;fill:#52606d}
        .ok{color:#1e7b3a}.over{color:#b42318;font-weight:600}
        """;

    private static readonly string[] LineColumns = ["Requests", "Calls", "Input tokens", "Output tokens", "Cost (USD)", "Active users"];

    public static string Write(CostReport report)
    {
        var content = report.Report;
        var title = $"Vigor {report.Kind} cost report, {ReportFormat.Period(report.PeriodStart, report.PeriodEnd)}";
        var html = new StringBuilder(16 * 1024);
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E(title)).Append("</title><style>").Append(Style).Append("</style></head><body><main>");
        html.Append("<h1>").Append(E(title)).Append("</h1>");
        html.Append("<p class=\"meta\">UTC, from ").Append(E(ReportFormat.Instant(report.PeriodStart))).Append(" up to ")
            .Append(E(ReportFormat.Instant(report.PeriodEnd))).Append(" · built ").Append(E(ReportFormat.Instant(report.CreatedAt)))
            .Append(" · report ").Append(E(report.Id.ToString())).Append("</p>");

        html.Append("<h2>Summary</h2>");
        Lines(html, "total", "", [content.Total]);
        html.Append("<h2>Spend by day</h2>");
        CostReportChart.Write(html, content.Days);
        foreach (var (section, heading, lines) in ReportFormat.Breakdowns(content))
        {
            if (section != "day")
                html.Append("<h2>Spend by ").Append(E(heading.ToLowerInvariant())).Append("</h2>");
            Lines(html, section, heading, lines);
        }
        TopUsers(html, content.TopUsers);
        html.Append("<h2>Month to date, cost per active user and budget</h2>");
        Figures(html, content);
        ProviderBudgets(html, content.Budget.Providers);
        html.Append("</main></body></html>");
        return html.ToString();
    }

    private static void Lines(StringBuilder html, string section, string heading, IReadOnlyList<UsageLine> lines)
    {
        html.Append("<table id=\"").Append(section).Append("\"><thead><tr><th>").Append(E(heading)).Append("</th>");
        foreach (var column in LineColumns)
            html.Append("<th class=\"num\">").Append(column).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var line in lines)
        {
            Row(html, line.Key, ReportFormat.Count(line.Requests), ReportFormat.Count(line.Calls), ReportFormat.Count(line.InputTokens),
                ReportFormat.Count(line.OutputTokens), ReportFormat.Usd(line.CostUsd), ReportFormat.Count(line.ActiveUsers));
        }
        html.Append("</tbody></table>");
    }

    private static void TopUsers(StringBuilder html, IReadOnlyList<UserCost> users)
    {
        html.Append("<h2>Top users by cost</h2><table id=\"user\"><thead><tr><th>User</th><th>Email</th>")
            .Append("<th class=\"num\">Requests</th><th class=\"num\">Input tokens</th><th class=\"num\">Output tokens</th><th class=\"num\">Cost (USD)</th></tr></thead><tbody>");
        foreach (var user in users)
        {
            html.Append("<tr><td>").Append(E(user.UserId.ToString())).Append("</td><td>").Append(E(user.Email ?? "")).Append("</td>");
            foreach (var value in new[] { ReportFormat.Count(user.Requests), ReportFormat.Count(user.InputTokens), ReportFormat.Count(user.OutputTokens), ReportFormat.Usd(user.CostUsd) })
                html.Append("<td class=\"num\">").Append(E(value)).Append("</td>");
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
    }

    private static void Figures(StringBuilder html, CostReportContent content)
    {
        html.Append("<table id=\"figures\"><thead><tr><th>Section</th><th>Figure</th><th class=\"num\">Value</th></tr></thead><tbody>");
        foreach (var (section, key, value) in ReportFormat.Figures(content))
        {
            var mark = key == "within_goal" ? (content.Month.WithinGoal ? " class=\"num ok\"" : " class=\"num over\"") : " class=\"num\"";
            html.Append("<tr data-section=\"").Append(E(section)).Append("\" data-key=\"").Append(E(key)).Append("\"><td>").Append(E(section))
                .Append("</td><td>").Append(E(key.Replace('_', ' '))).Append("</td><td").Append(mark).Append('>').Append(E(value)).Append("</td></tr>");
        }
        html.Append("</tbody></table>");
    }

    private static void ProviderBudgets(StringBuilder html, IReadOnlyList<ProviderBudget> providers)
    {
        html.Append("<table id=\"provider_budget\"><thead><tr><th>Provider</th><th class=\"num\">Daily cap</th><th class=\"num\">Busiest day</th>")
            .Append("<th class=\"num\">Monthly cap</th><th class=\"num\">Month to date</th></tr></thead><tbody>");
        foreach (var provider in providers)
            Row(html, provider.Name, [.. ReportFormat.Figures(provider).Select(f => f.Value)]);
        html.Append("</tbody></table>");
    }

    private static void Row(StringBuilder html, string key, params ReadOnlySpan<string> numbers)
    {
        html.Append("<tr><td>").Append(E(key)).Append("</td>");
        foreach (var number in numbers)
            html.Append("<td class=\"num\">").Append(E(number)).Append("</td>");
        html.Append("</tr>");
    }

    private static string E(string value) => HtmlEncoder.Default.Encode(value);
}
