using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vigor.Tests.Admin;
using Vigor.Tests.Support;

namespace Vigor.Tests.Reports;

/// <summary>A local host on a database of its own whose timers only run when a test asks, and the report routes' calls.</summary>
internal static class ReportTestHost
{
    public static Task<TestHost> StartAsync(IDictionary<string, string?>? overrides = null)
    {
        const string Yearly = "0 0 0 1 1 *";
        var settings = new Dictionary<string, string?>
        {
            ["Timers:UsageRollupSchedule"] = Yearly,
            ["Timers:BudgetWatchSchedule"] = Yearly,
            ["Timers:DailyCostReportSchedule"] = Yearly,
            ["Timers:WeeklyCostReportSchedule"] = Yearly,
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
            settings[key] = value;
        return TestHost.StartAsync("reports", settings);
    }

    public static Task<(HttpStatusCode Status, JsonElement Body, string Text)> CreateAsync(TestHost host, string token, string kind, string? periodStart)
    {
        var body = new JsonObject { ["kind"] = kind };
        if (periodStart is not null)
            body["periodStart"] = periodStart;
        return AdminProviderTestKit.SendAsync(host, HttpMethod.Post, "/api/admin/reports", token, body);
    }

    public static async Task<(HttpResponseMessage Response, string Text)> GetAsync(TestHost host, string token, Guid id, string? format = null)
    {
        var response = await host.Client.SendAsync(TestHost.Request(HttpMethod.Get, $"/api/admin/reports/{id}" + (format is null ? "" : "?format=" + format), token));
        return (response, await response.Content.ReadAsStringAsync());
    }
}
