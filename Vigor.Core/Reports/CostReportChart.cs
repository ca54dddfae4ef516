using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Vigor.Core.Reports;

/// <summary>
/// Spend by day as an inline SVG bar chart, laid out here (no script, no external resource): one bar per day of the
/// period, its height proportional to the day's cost, the tallest bar the full plot height.
/// </summary>
internal static class CostReportChart
{
    private const double Width = 720, Height = 260, Left = 64, Right = 12, Top = 16, Bottom = 40;

    public static void Write(StringBuilder html, IReadOnlyList<UsageLine> days)
    {
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var max = days.Count == 0 ? 0m : days.Max(d => d.CostUsd);
        var slot = plotWidth / Math.Max(1, days.Count);
        var barWidth = slot * 0.7;
        var labelEvery = Math.Max(1, (int)Math.Ceiling(days.Count / 14.0));

        html.Append(Inv($"<svg class=\"chart\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-labelledby=\"chart-title\">"));
        html.Append("<title id=\"chart-title\">Spend by day (USD)</title>");
        html.Append(Inv($"<line class=\"axis\" x1=\"{Left}\" y1=\"{Top + plotHeight}\" x2=\"{Width - Right}\" y2=\"{Top + plotHeight}\"/>"));
        html.Append(Inv($"<line class=\"axis\" x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Top + plotHeight}\"/>"));
        html.Append(Inv($"<text class=\"tick\" x=\"{Left - 6}\" y=\"{Top + 4}\" text-anchor=\"end\">${max:0.00}</text>"));
        html.Append(Inv($"<text class=\"tick\" x=\"{Left - 6}\" y=\"{Top + plotHeight}\" text-anchor=\"end\">$0</text>"));
        for (var i = 0; i < days.Count; i++)
        {
            var day = days[i];
            var height = max == 0 ? 0 : (double)(day.CostUsd / max) * plotHeight;
            var x = Left + (i * slot) + ((slot - barWidth) / 2);
            var label = HtmlEncoder.Default.Encode(day.Key);
            html.Append(Inv($"<rect class=\"bar\" data-day=\"{label}\" data-cost-usd=\"{ReportFormat.Usd(day.CostUsd)}\" x=\"{x:0.##}\" y=\"{Top + plotHeight - height:0.##}\" width=\"{barWidth:0.##}\" height=\"{height:0.##}\">"));
            html.Append(Inv($"<title>{label}: ${ReportFormat.Usd(day.CostUsd)}</title></rect>"));
            if (i % labelEvery == 0)
                html.Append(Inv($"<text class=\"tick\" x=\"{x + (barWidth / 2):0.##}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">{HtmlEncoder.Default.Encode(day.Key.Length >= 10 ? day.Key[5..] : day.Key)}</text>"));
        }
        html.Append("</svg>");
    }

    private static string Inv(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
