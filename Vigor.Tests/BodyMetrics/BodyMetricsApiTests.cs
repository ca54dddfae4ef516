using System.Net;
using System.Text;
using Vigor.Tests.Support;
using static Vigor.Tests.Workouts.TrainingRequests;

namespace Vigor.Tests.BodyMetrics;

[TestClass]
public sealed class BodyMetricsApiTests
{
    private static TestHost Host => SharedHost.Host;

    [TestMethod]
    public async Task RecordAndList_NewestFirst_OnlyTheCallersOwn()
    {
        var user = await Host.RegisterAsync();
        var other = await Host.RegisterAsync();
        var now = DateTimeOffset.UtcNow;

        var older = await Json(await Host.SendAsync(HttpMethod.Post, "/api/body-metrics", user.AccessToken, new { measuredAt = now.AddDays(-10), weightKg = 82.456, waistCm = 90 }), HttpStatusCode.Created);
        var latest = await Json(await Host.SendAsync(HttpMethod.Post, "/api/body-metrics", user.AccessToken, new { bodyFatPct = 18.5 }), HttpStatusCode.Created);
        var list = await Json(await Host.SendAsync(HttpMethod.Get, "/api/body-metrics", user.AccessToken), HttpStatusCode.OK);
        var others = await Json(await Host.SendAsync(HttpMethod.Get, "/api/body-metrics", other.AccessToken), HttpStatusCode.OK);

        Assert.AreEqual(82.46, older.GetProperty("weightKg").GetDouble(), "stored with two decimals");
        Assert.IsFalse(older.TryGetProperty("bodyFatPct", out _));
        Assert.IsLessThan(TimeSpan.FromMinutes(1), (latest.GetProperty("measuredAt").GetDateTimeOffset() - now).Duration(), "measuredAt defaults to now");
        CollectionAssert.AreEqual(
            new[] { latest.GetProperty("id").GetString(), older.GetProperty("id").GetString() },
            list.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToArray());
        Assert.AreEqual(0, others.GetProperty("items").GetArrayLength());
    }

    [TestMethod]
    public async Task List_ByRangeAndPages()
    {
        var user = await Host.RegisterAsync();
        var now = DateTimeOffset.UtcNow;
        foreach (var daysAgo in new[] { 100, 50, 3, 2, 1 })
            await Json(await Host.SendAsync(HttpMethod.Post, "/api/body-metrics", user.AccessToken, new { measuredAt = now.AddDays(-daysAgo), weightKg = 80 - daysAgo / 10.0 }), HttpStatusCode.Created);

        var from = now.AddDays(-60).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var first = await Json(await Host.SendAsync(HttpMethod.Get, $"/api/body-metrics?from={from}&limit=2", user.AccessToken), HttpStatusCode.OK);
        var second = await Json(await Host.SendAsync(HttpMethod.Get, $"/api/body-metrics?from={from}&limit=2&cursor={first.GetProperty("nextCursor").GetString()}", user.AccessToken), HttpStatusCode.OK);

        CollectionAssert.AreEqual(new[] { 79.9, 79.8 }, first.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("weightKg").GetDouble()).ToArray());
        CollectionAssert.AreEqual(new[] { 79.7, 75.0 }, second.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("weightKg").GetDouble()).ToArray());
    }

    [TestMethod]
    [DataRow("""{}""", "weightKg")]
    [DataRow("""{"weightKg":19.9}""", "weightKg")]
    [DataRow("""{"weightKg":501}""", "weightKg")]
    [DataRow("""{"weightKg":"heavy"}""", "weightKg")]
    [DataRow("""{"bodyFatPct":1.9}""", "bodyFatPct")]
    [DataRow("""{"bodyFatPct":75.1}""", "bodyFatPct")]
    [DataRow("""{"waistCm":29}""", "waistCm")]
    [DataRow("""{"waistCm":301}""", "waistCm")]
    [DataRow("""{"weightKg":80,"measuredAt":"1999-06-01T00:00:00Z"}""", "measuredAt")]
    [DataRow("""{"weightKg":80,"measuredAt":"2999-06-01T00:00:00Z"}""", "measuredAt")]
    [DataRow("""{"weightKg":80,"measuredAt":"soon"}""", "measuredAt")]
    public async Task Record_BadInput_BadRequestNamingTheField(string body, string field)
    {
        var user = await Host.RegisterAsync();

        var response = await Host.Client.SendAsync(TestHost.Request(HttpMethod.Post, "/api/body-metrics", user.AccessToken,
            new StringContent(body, Encoding.UTF8, "application/json")));

        CollectionAssert.Contains(await ErrorFieldsAsync(response), field);
        var list = await Json(await Host.SendAsync(HttpMethod.Get, "/api/body-metrics", user.AccessToken), HttpStatusCode.OK);
        Assert.AreEqual(0, list.GetProperty("items").GetArrayLength());
    }

    [TestMethod]
    [DataRow("from=last-week", "from")]
    [DataRow("from=2024-01-01&to=2025-06-01", "from")]
    [DataRow("limit=500", "limit")]
    public async Task List_BadQuery_BadRequestNamingTheParameter(string query, string field)
    {
        var user = await Host.RegisterAsync();

        CollectionAssert.Contains(await ErrorFieldsAsync(await Host.SendAsync(HttpMethod.Get, "/api/body-metrics?" + query, user.AccessToken)), field);
    }
}
