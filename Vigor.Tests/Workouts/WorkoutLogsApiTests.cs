using System.Net;
using System.Text.Json;
using Vigor.Tests.Support;
using static Vigor.Tests.Workouts.TrainingRequests;

namespace Vigor.Tests.Workouts;

[TestClass]
public sealed class WorkoutLogsApiTests
{
    private static TestHost Host => SharedHost.Host;

    private static object Bench(DateTimeOffset at, double kg, int reps = 5) =>
        Log(at, Lift("barbell-bench-press", Set(reps, kg, 2), Set(reps, kg, 2), Set(reps, kg, 1)));

    private static List<string> Kinds(JsonElement log) =>
        log.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("kind").GetString()!).ToList();

    private static List<string> Ids(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(l => l.GetProperty("id").GetString()!).ToList();

    [TestMethod]
    public async Task LogWorkout_Created_ListingTheRecordsItSetAgainstEarlierSessions()
    {
        var user = await Host.RegisterAsync();
        var now = DateTimeOffset.UtcNow;

        var baseline = await LogAsync(Host, user, Bench(now.AddDays(-14), 60));
        var response = await Host.SendAsync(HttpMethod.Post, "/api/workouts/logs", user.AccessToken, Bench(now.AddDays(-7), 65));
        var better = await Json(response, HttpStatusCode.Created);
        var backfilled = await LogAsync(Host, user, Bench(now.AddDays(-21), 70));
        var same = await LogAsync(Host, user, Bench(now.AddDays(-1), 65));

        Assert.AreEqual(0, baseline.GetProperty("records").GetArrayLength(), "a first performance is a baseline, not a record");
        CollectionAssert.AreEquivalent(new[] { "heaviest_weight", "best_e1rm", "best_set_volume" }, Kinds(better));
        var heaviest = better.GetProperty("records").EnumerateArray().Single(r => r.GetProperty("kind").GetString() == "heaviest_weight");
        Assert.AreEqual("barbell-bench-press", heaviest.GetProperty("exerciseId").GetString());
        Assert.AreEqual(65, heaviest.GetProperty("value").GetDouble());
        Assert.AreEqual(60, heaviest.GetProperty("previous").GetDouble());
        Assert.AreEqual($"/api/workouts/logs/{better.GetProperty("id").GetString()}", response.Headers.Location?.OriginalString);
        Assert.AreEqual(0, backfilled.GetProperty("records").GetArrayLength(), "only sessions performed before it count as history");
        Assert.AreEqual(0, same.GetProperty("records").GetArrayLength(), "70 kg three weeks ago is the best to beat");
    }

    [TestMethod]
    public async Task LogWorkout_StoresWhatWasSent_AndGetReturnsIt()
    {
        var user = await Host.RegisterAsync();
        var at = new DateTimeOffset(2024, 5, 6, 17, 30, 0, TimeSpan.FromHours(2));

        var log = await LogAsync(Host, user, new
        {
            performedAt = at, durationMinutes = 45, rating = 5, notes = "  felt strong  ",
            exercises = new object[] { Lift("goblet-squat", Set(10, 24, 2)), new { exerciseId = "push-up", sets = new[] { new { durationSeconds = 60 } } } },
        });
        var fetched = await Json(await Host.SendAsync(HttpMethod.Get, $"/api/workouts/logs/{log.GetProperty("id").GetString()}", user.AccessToken), HttpStatusCode.OK);

        Assert.AreEqual(log.ToString(), fetched.ToString());
        Assert.AreEqual(at, fetched.GetProperty("performedAt").GetDateTimeOffset());
        Assert.AreEqual("felt strong", fetched.GetProperty("notes").GetString());
        Assert.AreEqual(5, fetched.GetProperty("rating").GetInt32());
        var timed = fetched.GetProperty("exercises")[1].GetProperty("sets")[0];
        Assert.AreEqual(0, timed.GetProperty("reps").GetInt32());
        Assert.AreEqual(60, timed.GetProperty("durationSeconds").GetInt32());
    }

    [TestMethod]
    public async Task ListLogs_ByRange_NewestFirst_InPages()
    {
        var user = await Host.RegisterAsync();
        var now = DateTimeOffset.UtcNow;
        var ids = new List<string>();
        foreach (var daysAgo in new[] { 40, 20, 10, 2 })
            ids.Add((await LogAsync(Host, user, Bench(now.AddDays(-daysAgo), 50))).GetProperty("id").GetString()!);

        var lastMonth = await Json(await Host.SendAsync(HttpMethod.Get, "/api/workouts/logs", user.AccessToken), HttpStatusCode.OK);
        var day = now.AddDays(-40).UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var oneDay = await Json(await Host.SendAsync(HttpMethod.Get, $"/api/workouts/logs?from={day}&to={day}", user.AccessToken), HttpStatusCode.OK);
        var first = await Json(await Host.SendAsync(HttpMethod.Get, $"/api/workouts/logs?from={day}&limit=3", user.AccessToken), HttpStatusCode.OK);
        var rest = await Json(await Host.SendAsync(HttpMethod.Get, $"/api/workouts/logs?from={day}&limit=3&cursor={first.GetProperty("nextCursor").GetString()}", user.AccessToken), HttpStatusCode.OK);

        CollectionAssert.AreEqual(new[] { ids[3], ids[2], ids[1] }, Ids(lastMonth), "default: the last 30 days");
        CollectionAssert.AreEqual(new[] { ids[0] }, Ids(oneDay), "a date 'to' includes that whole day");
        CollectionAssert.AreEqual(new[] { ids[3], ids[2], ids[1] }, Ids(first));
        CollectionAssert.AreEqual(new[] { ids[0] }, Ids(rest));
        Assert.IsFalse(rest.TryGetProperty("nextCursor", out _));
    }

    [TestMethod]
    public async Task AnotherUsersLog_NotFound_OnGetAndDelete_AndIsKept()
    {
        var owner = await Host.RegisterAsync();
        var other = await Host.RegisterAsync();
        var id = (await LogAsync(Host, owner, Bench(DateTimeOffset.UtcNow.AddDays(-1), 40))).GetProperty("id").GetString();

        var get = await Host.SendAsync(HttpMethod.Get, $"/api/workouts/logs/{id}", other.AccessToken);
        var delete = await Host.SendAsync(HttpMethod.Delete, $"/api/workouts/logs/{id}", other.AccessToken);
        var list = await Json(await Host.SendAsync(HttpMethod.Get, "/api/workouts/logs", other.AccessToken), HttpStatusCode.OK);

        Assert.AreEqual(HttpStatusCode.NotFound, get.StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.AreEqual(0, list.GetProperty("items").GetArrayLength());
        Assert.AreEqual(HttpStatusCode.OK, (await Host.SendAsync(HttpMethod.Get, $"/api/workouts/logs/{id}", owner.AccessToken)).StatusCode);
    }

    [TestMethod]
    [DataRow("not-a-uuid")]
    [DataRow("0196a0b2-0000-7000-8000-00000000000g")]
    [DataRow("00000000-0000-0000-0000-000000000000")]
    public async Task MalformedOrUnknownId_NotFound(string id)
    {
        var user = await Host.RegisterAsync();

        Assert.AreEqual(HttpStatusCode.NotFound, (await Host.SendAsync(HttpMethod.Get, $"/api/workouts/logs/{id}", user.AccessToken)).StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, (await Host.SendAsync(HttpMethod.Delete, $"/api/workouts/logs/{id}", user.AccessToken)).StatusCode);
    }

    [TestMethod]
    public async Task DeleteLog_NoContent_ThenNotFound()
    {
        var user = await Host.RegisterAsync();
        var id = (await LogAsync(Host, user, Bench(DateTimeOffset.UtcNow.AddDays(-1), 40))).GetProperty("id").GetString();

        var delete = await Host.SendAsync(HttpMethod.Delete, $"/api/workouts/logs/{id}", user.AccessToken);
        var again = await Host.SendAsync(HttpMethod.Delete, $"/api/workouts/logs/{id}", user.AccessToken);

        Assert.AreEqual(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, again.StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, (await Host.SendAsync(HttpMethod.Get, $"/api/workouts/logs/{id}", user.AccessToken)).StatusCode);
    }

    [TestMethod]
    public async Task LogWorkout_WithAnotherUsersPlan_BadRequestNamingPlanId()
    {
        var owner = await Host.RegisterAsync();
        var other = await Host.RegisterAsync();
        var plan = await CreatePlanAsync(Host, owner, new { name = "Mine", days = new[] { Day("A", Item("goblet-squat")) } });
        var body = new { planId = plan.GetProperty("id").GetString(), performedAt = DateTimeOffset.UtcNow, durationMinutes = 30, exercises = new[] { Lift("goblet-squat", Set(10, 20)) } };

        var fields = await ErrorFieldsAsync(await Host.SendAsync(HttpMethod.Post, "/api/workouts/logs", other.AccessToken, body));

        CollectionAssert.AreEqual(new[] { "planId" }, fields);
    }
}
