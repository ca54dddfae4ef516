using System.Net;
using System.Text.Json;
using Vigor.Tests.Support;
using static Vigor.Tests.Workouts.TrainingRequests;

namespace Vigor.Tests.Progress;

/// <summary>The training flow end to end: profile, manual plan, four weeks of logs, then progress.</summary>
[TestClass]
public sealed class ProgressApiTests
{
    private static TestHost Host => SharedHost.Host;

    private static JsonElement Week(JsonElement progress, string property, DateTimeOffset weekStart) =>
        progress.GetProperty(property).EnumerateArray()
            .Single(w => w.GetProperty("weekStart").GetString() == weekStart.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

    private static double SetsFor(JsonElement week, string muscle) =>
        week.GetProperty("muscles").EnumerateArray().Single(m => m.GetProperty("muscle").GetString() == muscle).GetProperty("sets").GetDouble();

    [TestMethod]
    public async Task TrainingFlow_ProfilePlanLogsProgress_ReportsStreakVolumeTrendsRecordsAndDeload()
    {
        var user = await Host.RegisterAsync();
        await SetProfileAsync(Host, user, "intermediate", "barbell", "bench", "dumbbells", "cable");
        var plan = await CreatePlanAsync(Host, user, new
        {
            name = "Strength A/B",
            goal = "strength",
            days = new[]
            {
                Day("A", Item("barbell-bench-press", repsMin: 5, repsMax: 6, restSeconds: 180), Item("seated-cable-row")),
                Day("B", Item("barbell-back-squat", repsMin: 5, repsMax: 6, restSeconds: 180), Item("seated-cable-row")),
            },
        });
        var flagged = await CreatePlanAsync(Host, user, new { name = "Machines", days = new[] { Day("A", Item("machine-chest-press"), Item("goblet-squat")) } });
        Assert.IsNotEmpty(plan.GetProperty("findings").EnumerateArray().ToList());
        Assert.IsFalse(plan.GetProperty("hasErrors").GetBoolean(), plan.GetProperty("findings").ToString());
        Assert.IsTrue(flagged.GetProperty("hasErrors").GetBoolean());
        Assert.IsTrue(flagged.GetProperty("findings").EnumerateArray().Any(f => f.GetProperty("code").GetString() == "V9.equipment_unavailable"));

        var planId = plan.GetProperty("id").GetString();
        var logs = new List<JsonElement>();
        for (var weeksAgo = 4; weeksAgo >= 1; weeksAgo--)
        {
            var step = 4 - weeksAgo;
            var monday = WeekStart(weeksAgo);
            logs.Add(await LogAsync(Host, user, new
            {
                planId, performedAt = monday.AddDays(1).AddHours(18), durationMinutes = 60,
                exercises = new[] { Lift("barbell-bench-press", Set(5, 60 + 2.5 * step, 2), Set(5, 60 + 2.5 * step, 2), Set(5, 60 + 2.5 * step, 2)), Lift("seated-cable-row", Set(10, 50), Set(10, 50), Set(10, 50)) },
            }));
            logs.Add(await LogAsync(Host, user, new
            {
                planId, performedAt = monday.AddDays(3).AddHours(18), durationMinutes = 60,
                exercises = new[] { Lift("barbell-back-squat", Set(5, 80 + 5 * step, 2), Set(5, 80 + 5 * step, 2), Set(5, 80 + 5 * step, 2)), Lift("seated-cable-row", Set(10, 50), Set(10, 50), Set(10, 50)) },
            }));
        }

        var progress = await Json(await Host.SendAsync(HttpMethod.Get, "/api/progress?weeks=6", user.AccessToken), HttpStatusCode.OK);

        Assert.AreEqual(0, logs[0].GetProperty("records").GetArrayLength());
        Assert.IsTrue(logs[2].GetProperty("records").EnumerateArray().Any(r => r.GetProperty("exerciseId").GetString() == "barbell-bench-press"
                                                                             && r.GetProperty("kind").GetString() == "heaviest_weight"));
        var streak = progress.GetProperty("streak");
        Assert.AreEqual(4, streak.GetProperty("currentWeeks").GetInt32());
        Assert.AreEqual(4, streak.GetProperty("longestWeeks").GetInt32());
        var sessions = progress.GetProperty("sessionsPerWeek").EnumerateArray().Select(w => w.GetProperty("sessions").GetInt32()).ToArray();
        CollectionAssert.AreEqual(new[] { 0, 2, 2, 2, 2, 0 }, sessions);
        var lastWeek = Week(progress, "weeklySets", WeekStart(1));
        Assert.AreEqual(3, SetsFor(lastWeek, "chest"));
        Assert.AreEqual(6, SetsFor(lastWeek, "upper_back"), "two sessions of three rows");
        Assert.AreEqual(1.5, SetsFor(lastWeek, "front_delts"), "secondary muscles count half");
        Assert.AreEqual("below", lastWeek.GetProperty("muscles").EnumerateArray().Single(m => m.GetProperty("muscle").GetString() == "chest").GetProperty("status").GetString());
        var bench = progress.GetProperty("trends").EnumerateArray().Single(t => t.GetProperty("exerciseId").GetString() == "barbell-bench-press");
        var points = bench.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("e1rmKg").GetDouble()).ToList();
        Assert.HasCount(4, points);
        CollectionAssert.AreEqual(points.Order().ToList(), points, "the e1RM rises with the load");
        Assert.IsGreaterThan(0, bench.GetProperty("changePercent").GetDouble());
        var record = progress.GetProperty("personalRecords").EnumerateArray().Single(r => r.GetProperty("exerciseId").GetString() == "barbell-back-squat");
        Assert.AreEqual(95, record.GetProperty("heaviestKg").GetDouble());
        var deload = progress.GetProperty("deload");
        Assert.IsTrue(deload.GetProperty("suggested").GetBoolean());
        Assert.AreEqual("scheduled", deload.GetProperty("reason").GetString());
        Assert.AreEqual(4, deload.GetProperty("continuousWeeks").GetInt32());
    }

    [TestMethod]
    public async Task Progress_SuggestsReactiveDeload_WhenTheLastTwoSessionsMissThePlansReps()
    {
        var user = await Host.RegisterAsync();
        await SetProfileAsync(Host, user, "beginner", "dumbbells", "bench");
        var plan = await CreatePlanAsync(Host, user, new { name = "Press", days = new[] { Day("A", Item("dumbbell-bench-press", repsMin: 8, repsMax: 12)) } });
        foreach (var weeksAgo in new[] { 2, 1 })
        {
            await LogAsync(Host, user, new
            {
                planId = plan.GetProperty("id").GetString(), performedAt = WeekStart(weeksAgo).AddDays(2), durationMinutes = 30,
                exercises = new[] { Lift("dumbbell-bench-press", Set(5, 20), Set(4, 20)) },
            });
        }

        var progress = await Json(await Host.SendAsync(HttpMethod.Get, "/api/progress", user.AccessToken), HttpStatusCode.OK);

        Assert.AreEqual("reactive", progress.GetProperty("deload").GetProperty("reason").GetString());
        Assert.AreEqual(8, progress.GetProperty("sessionsPerWeek").GetArrayLength(), "8 weeks by default");
    }

    [TestMethod]
    public async Task Progress_WithoutLogs_IsEmptyAtTheBeginnerBand()
    {
        var user = await Host.RegisterAsync();

        var progress = await Json(await Host.SendAsync(HttpMethod.Get, "/api/progress?weeks=1", user.AccessToken), HttpStatusCode.OK);

        Assert.AreEqual(0, progress.GetProperty("streak").GetProperty("currentWeeks").GetInt32());
        Assert.AreEqual(0, progress.GetProperty("personalRecords").GetArrayLength());
        Assert.IsFalse(progress.GetProperty("deload").GetProperty("suggested").GetBoolean());
        var chest = progress.GetProperty("weeklySets")[0].GetProperty("muscles").EnumerateArray().First();
        Assert.AreEqual(6, chest.GetProperty("targetMin").GetDouble());
        Assert.AreEqual(10, chest.GetProperty("targetMax").GetDouble());
    }

    [TestMethod]
    [DataRow("weeks=0")]
    [DataRow("weeks=53")]
    [DataRow("weeks=-1")]
    [DataRow("weeks=eight")]
    [DataRow("weeks=99999999999999999999")]
    public async Task Progress_BadWeeks_BadRequestNamingWeeks(string query)
    {
        var user = await Host.RegisterAsync();

        var fields = await ErrorFieldsAsync(await Host.SendAsync(HttpMethod.Get, "/api/progress?" + query, user.AccessToken));

        CollectionAssert.AreEqual(new[] { "weeks" }, fields);
    }
}
