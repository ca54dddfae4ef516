using System.Globalization;
using System.Net;
using System.Text.Json;
using AngleSharp.Dom;

namespace Vigor.Tests.Reports;

public sealed partial class CostReportContentTests
{
    private const double PlotHeight = 204; // the chart's 260 px less its 16 px top and 40 px bottom margins

    [TestMethod]
    public async Task GetCostReport_JsonCsvAndHtml_AgreeOnEveryFigure()
    {
        var (csvResponse, csv) = await ReportTestHost.GetAsync(host, admin.AccessToken, ReportId, "csv");
        var (htmlResponse, html) = await ReportTestHost.GetAsync(host, admin.AccessToken, ReportId, "html");
        var (_, json) = await ReportTestHost.GetAsync(host, admin.AccessToken, ReportId, "json");

        var fromJson = ReportForms.FromJson(JsonDocument.Parse(json).RootElement);
        var csvRows = ReportForms.ParseCsv(csv);
        var fromCsv = ReportForms.FromCsv(csvRows);
        var fromHtml = ReportForms.FromHtml(ReportForms.ParseHtml(html));

        Assert.AreEqual("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
        Assert.AreEqual("text/html", htmlResponse.Content.Headers.ContentType?.MediaType);
        Assert.AreEqual("section,key,detail,requests,calls,input_tokens,output_tokens,cost_usd,active_users,value", string.Join(",", csvRows[0]));
        var reportRows = csvRows.Where(r => r[0] == "report").ToDictionary(r => r[1], r => r[9]);
        Assert.AreEqual(ReportId.ToString(), reportRows["id"]);
        Assert.AreEqual("weekly", reportRows["kind"]);
        Assert.AreEqual("2025-03-03T00:00:00Z", reportRows["period_start"]);
        Assert.AreEqual("2025-03-10T00:00:00Z", reportRows["period_end"]);
        Assert.IsGreaterThan(150, fromJson.Count, "every breakdown, user and figure is compared");
        AssertSame(fromJson, fromCsv, "CSV");
        AssertSame(fromJson, fromHtml, "HTML");
        Assert.AreEqual(Body.GetProperty("total").GetProperty("costUsd").GetDecimal().ToString(CultureInfo.InvariantCulture),
            Body.GetProperty("total").GetProperty("costUsd").GetRawText(), "the JSON carries the exact decimal");
    }

    [TestMethod]
    public async Task GetCostReport_Html_SelfContainedNoScriptNoUrl_OneBarPerDay()
    {
        var (response, html) = await ReportTestHost.GetAsync(host, admin.AccessToken, ReportId, "html");
        var page = ReportForms.ParseHtml(html);

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", csp);
        Assert.DoesNotContain("script-src", csp);
        Assert.IsEmpty(page.QuerySelectorAll("script, link, img, iframe, object, embed, base, form, audio, video, source, use, image, foreignObject"));
        Assert.DoesNotContain("<script", html, "the hostile email is encoded, not markup");
        Assert.IsTrue(page.QuerySelectorAll("#user td").Any(td => td.TextContent == ReportFixture.ScriptEmail), "and shows as the text it is");
        string[] fetching = ["src", "href", "xlink:href", "srcset", "action", "formaction", "poster", "background", "ping", "data", "http-equiv"];
        foreach (var element in page.All)
        {
            foreach (var attribute in element.Attributes)
            {
                Assert.DoesNotContain(attribute.Name, fetching, $"<{element.LocalName} {attribute.Name}>");
                Assert.DoesNotContain("://", attribute.Value, $"<{element.LocalName} {attribute.Name}>");
                Assert.IsFalse(attribute.Value.TrimStart().StartsWith("//", StringComparison.Ordinal), $"<{element.LocalName} {attribute.Name}>");
                Assert.DoesNotContain("url(", attribute.Value, $"<{element.LocalName} {attribute.Name}>");
            }
        }
        var style = string.Concat(page.QuerySelectorAll("style").Select(s => s.TextContent));
        Assert.DoesNotContain("url(", style);
        Assert.DoesNotContain("@import", style);

        var bars = page.QuerySelectorAll("svg rect.bar").ToList();
        var days = Body.GetProperty("days").EnumerateArray().ToList();
        Assert.HasCount(7, bars);
        CollectionAssert.AreEqual(days.Select(d => d.GetProperty("key").GetString()).ToList(), bars.Select(b => b.GetAttribute("data-day")).ToList());
        var max = days.Max(d => d.GetProperty("costUsd").GetDecimal());
        for (var i = 0; i < 7; i++)
        {
            var cost = days[i].GetProperty("costUsd").GetDecimal();
            Assert.AreEqual(cost, decimal.Parse(bars[i].GetAttribute("data-cost-usd")!, CultureInfo.InvariantCulture));
            Assert.AreEqual((double)(cost / max) * PlotHeight, Number(bars[i], "height"), 0.01, $"bar {i}");
            Assert.AreEqual(Number(bars[0], "y") + Number(bars[0], "height"), Number(bars[i], "y") + Number(bars[i], "height"), 0.01, "bars stand on one baseline");
        }
    }

    [TestMethod]
    public async Task GetCostReport_Csv_QuotesFieldsAndDefusesFormulas()
    {
        var (response, csv) = await ReportTestHost.GetAsync(host, admin.AccessToken, ReportId, "csv");
        var rows = ReportForms.ParseCsv(csv);

        Assert.Contains("attachment; filename=\"vigor-weekly-cost-report-2025-03-03.csv\"", response.Content.Headers.ContentDisposition!.ToString());
        Assert.Contains(",'=cmd|' /C calc'!A0@evil.example,", csv, "a formula gets a leading apostrophe");
        Assert.Contains(",\"\"\"=cmd|' /C calc'!A0\"\",x@evil.example\",", csv, "quotes doubled, the field quoted (RFC 4180)");
        Assert.Contains("\r\nprovider,\"anthropic, backup\",", csv);
        var users = rows.Where(r => r[0] == "user").ToList();
        Assert.HasCount(10, users);
        CollectionAssert.IsSubsetOf(new[] { "'" + ReportFixture.FormulaEmail, ReportFixture.QuotedEmail, ReportFixture.ScriptEmail }, users.Select(u => u[2]).ToList());
        Assert.IsFalse(rows.SelectMany(r => r).Any(cell => cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@'), "no cell starts a formula");
    }

    private static double Number(IElement element, string attribute) => double.Parse(element.GetAttribute(attribute)!, CultureInfo.InvariantCulture);

    private static void AssertSame(SortedDictionary<string, string> expected, SortedDictionary<string, string> actual, string form)
    {
        var differences = expected.Keys.Union(actual.Keys)
            .Where(k => expected.GetValueOrDefault(k) != actual.GetValueOrDefault(k))
            .Take(8)
            .Select(k => $"{k}: JSON {expected.GetValueOrDefault(k) ?? "(none)"}, {form} {actual.GetValueOrDefault(k) ?? "(none)"}")
            .ToList();
        Assert.IsEmpty(differences, string.Join(Environment.NewLine, differences));
    }
}
