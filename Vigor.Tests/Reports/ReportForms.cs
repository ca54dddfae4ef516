using System.Globalization;
using System.Text;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Vigor.Tests.Reports;

/// <summary>
/// Reads the three forms of a report into one shape, "section|key|column" → value, so they can be compared: numbers as
/// decimals (12.3456 equals 12.345600), instants as UTC, the rest as text. The JSON side names each property explicitly.
/// </summary>
internal static class ReportForms
{
    private static readonly string[] LineColumns = ["requests", "calls", "input_tokens", "output_tokens", "cost_usd", "active_users"];
    private static readonly string[] UserColumns = ["email", "requests", "input_tokens", "output_tokens", "cost_usd"];
    private static readonly string[] ProviderColumns = ["daily_cap_usd", "peak_day_spent_usd", "monthly_cap_usd", "month_spent_usd"];

    public static SortedDictionary<string, string> FromJson(JsonElement report)
    {
        var cells = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var body = report.GetProperty("report");
        Line(cells, "total", body.GetProperty("total"));
        foreach (var (section, property) in new[] { ("day", "days"), ("provider", "providers"), ("model", "models"), ("tier", "tiers"), ("feature", "features") })
        {
            foreach (var line in body.GetProperty(property).EnumerateArray())
                Line(cells, section, line);
        }
        foreach (var user in body.GetProperty("topUsers").EnumerateArray())
        {
            var id = user.GetProperty("userId").GetString()!;
            Add(cells, "user", id, "email", user.TryGetProperty("email", out var email) ? email.GetString()! : "");
            foreach (var (column, property) in new[] { ("requests", "requests"), ("input_tokens", "inputTokens"), ("output_tokens", "outputTokens"), ("cost_usd", "costUsd") })
                Add(cells, "user", id, column, user.GetProperty(property).GetRawText());
        }
        Add(cells, "summary", "cost_per_active_user_usd", "value", body.GetProperty("costPerActiveUserUsd").GetRawText());
        var month = body.GetProperty("month");
        foreach (var (key, property) in new[]
                 {
                     ("month", "month"), ("through", "through"), ("spent_usd", "spentUsd"), ("active_users", "activeUsers"),
                     ("cost_per_active_user_usd", "costPerActiveUserUsd"), ("projected_cost_per_active_user_usd", "projectedCostPerActiveUserUsd"),
                     ("goal_usd", "goalUsd"), ("within_goal", "withinGoal"), ("daily_average_usd", "dailyAverageUsd"), ("remaining_days", "remainingDays"),
                     ("forecast_usd", "forecastUsd"),
                 })
            Add(cells, "month", key, "value", Text(month.GetProperty(property)));
        var budget = body.GetProperty("budget");
        foreach (var (key, property) in new[] { ("global_monthly_usd", "globalMonthlyUsd"), ("hard_stop", "hardStop"), ("percent_used", "percentUsed"), ("forecast_percent", "forecastPercent") })
            Add(cells, "budget", key, "value", budget.TryGetProperty(property, out var value) ? Text(value) : "");
        foreach (var provider in budget.GetProperty("providers").EnumerateArray())
        {
            var name = provider.GetProperty("name").GetString()!;
            foreach (var (column, property) in new[] { ("daily_cap_usd", "dailyCapUsd"), ("peak_day_spent_usd", "peakDaySpentUsd"), ("monthly_cap_usd", "monthlyCapUsd"), ("month_spent_usd", "monthSpentUsd") })
                Add(cells, "provider_budget", name, column, provider.TryGetProperty(property, out var value) ? Text(value) : "");
        }
        return cells;
    }

    /// <summary>The CSV's data rows as cells; the <c>report</c> rows (id, period) are left to the caller.</summary>
    public static SortedDictionary<string, string> FromCsv(List<string[]> rows)
    {
        var cells = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var header = rows[0];
        foreach (var row in rows.Skip(1))
        {
            Assert.HasCount(header.Length, row, string.Join(",", row));
            var (section, key, detail) = (row[0], Defused(row[1]), Defused(row[2]));
            switch (section)
            {
                case "report":
                    break;
                case "summary" or "month" or "budget":
                    Add(cells, section, key, "value", row[9]);
                    break;
                case "provider_budget":
                    Add(cells, section, key, detail, row[9]);
                    break;
                case "user":
                    Add(cells, section, key, "email", detail);
                    foreach (var column in UserColumns.Skip(1))
                        Add(cells, section, key, column, row[Array.IndexOf(header, column)]);
                    break;
                default:
                    foreach (var column in LineColumns)
                        Add(cells, section, key, column, row[Array.IndexOf(header, column)]);
                    break;
            }
        }
        return cells;
    }

    public static SortedDictionary<string, string> FromHtml(IDocument page)
    {
        var cells = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var section in new[] { "total", "day", "provider", "model", "tier", "feature" })
            Rows(cells, page, section, LineColumns);
        Rows(cells, page, "user", UserColumns);
        Rows(cells, page, "provider_budget", ProviderColumns);
        foreach (var row in page.QuerySelectorAll("#figures tbody tr"))
            Add(cells, row.GetAttribute("data-section")!, row.GetAttribute("data-key")!, "value", row.Children[2].TextContent);
        return cells;
    }

    public static IDocument ParseHtml(string html) => new HtmlParser().ParseDocument(html);

    /// <summary>RFC 4180: CRLF between records, quoted fields may hold commas, quotes (doubled) and line breaks.</summary>
    public static List<string[]> ParseCsv(string csv)
    {
        var rows = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < csv.Length && csv[i + 1] == '"')
                    field.Append(csv[++i]);
                else if (c == '"')
                    quoted = false;
                else
                    field.Append(c);
            }
            else if (c == '"' && field.Length == 0)
                quoted = true;
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < csv.Length && csv[i + 1] == '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                rows.Add([.. fields]);
                fields.Clear();
                i++;
            }
            else
                field.Append(c);
        }
        Assert.AreEqual(0, field.Length + fields.Count, "the CSV must end with CRLF");
        return rows;
    }

    /// <summary>A text cell the CSV defused (a leading apostrophe before = + - @), as it was.</summary>
    public static string Defused(string cell) => cell.Length > 1 && cell[0] == '\'' && cell[1] is '=' or '+' or '-' or '@' ? cell[1..] : cell;

    private static void Rows(SortedDictionary<string, string> cells, IDocument page, string table, string[] columns)
    {
        var rows = page.QuerySelectorAll($"table#{table} tbody tr").ToList();
        Assert.IsNotNull(page.QuerySelector($"table#{table}"), $"table#{table} is missing");
        foreach (var row in rows)
        {
            var key = row.Children[0].TextContent;
            for (var i = 0; i < columns.Length; i++)
                Add(cells, table, key, columns[i], row.Children[i + 1].TextContent);
        }
    }

    private static void Line(SortedDictionary<string, string> cells, string section, JsonElement line)
    {
        var key = line.GetProperty("key").GetString()!;
        foreach (var (column, property) in new[] { ("requests", "requests"), ("calls", "calls"), ("input_tokens", "inputTokens"), ("output_tokens", "outputTokens"), ("cost_usd", "costUsd"), ("active_users", "activeUsers") })
            Add(cells, section, key, column, line.GetProperty(property).GetRawText());
    }

    private static string Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private static void Add(SortedDictionary<string, string> cells, string section, string key, string column, string value)
        => Assert.IsTrue(cells.TryAdd($"{section}|{key}|{column}", Normal(value)), $"{section}|{key}|{column} appears twice");

    private static string Normal(string value)
    {
        if (decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var number))
            return number.ToString("0.############################", CultureInfo.InvariantCulture);
        if (value.Contains('T', StringComparison.Ordinal) && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var instant))
            return instant.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        return value;
    }
}
