using System.Net;
using System.Text;
using Vigor.Tests.Support;
using static Vigor.Tests.Workouts.TrainingRequests;

namespace Vigor.Tests.Workouts;

[TestClass]
public sealed class PlansApiTests
{
    private static TestHost Host => SharedHost.Host;

    private static object GoodPlan(string name = "Upper lower") => new
    {
        name,
        goal = "strength",
        days = new[]
        {
            Day("Squat and press", Item("barbell-back-squat", repsMin: 5, repsMax: 6, restSeconds: 180), Item("barbell-bench-press", repsMin: 5, repsMax: 6, restSeconds: 180),
                Item("seated-cable-row")),
            Day("Hinge and pull", Item("dumbbell-romanian-deadlift", repsMax: 10), Item("lat-pulldown"), Item("one-arm-dumbbell-row")),
        },
    };

    private static async Task<Session> LifterAsync(params string[] equipment)
    {
        var user = await Host.RegisterAsync();
        await SetProfileAsync(Host, user, "intermediate", equipment.Length > 0 ? equipment : ["barbell", "bench", "dumbbells", "cable"]);
        return user;
    }

    [TestMethod]
    public async Task CreatePlan_StoresThePlanWithItsFindings_AndGetReturnsIt()
    {
        var user = await LifterAsync();

        var created = await Host.SendAsync(HttpMethod.Post, "/api/workouts/plans", user.AccessToken, GoodPlan());
        var plan = await Json(created, HttpStatusCode.Created);
        var id = plan.GetProperty("id").GetString()!;
        var fetched = await Json(await Host.SendAsync(HttpMethod.Get, $"/api/workouts/plans/{id}", user.AccessToken), HttpStatusCode.OK);

        Assert.AreEqual($"/api/workouts/plans/{id}", created.Headers.Location?.OriginalString);
        Assert.AreEqual("manual", plan.GetProperty("source").GetString());
        Assert.IsFalse(plan.GetProperty("hasErrors").GetBoolean(), plan.GetProperty("findings").ToString());
        var findings = plan.GetProperty("findings").EnumerateArray().ToList();
        Assert.IsNotEmpty(findings, "a two-day plan is below the intermediate weekly band and says so");
        Assert.IsTrue(findings.All(f => f.GetProperty("severity").GetString() == "warning"));
        Assert.IsTrue(findings.Any(f => f.GetProperty("code").GetString() == "V2.volume_below_band"));
        Assert.AreEqual(plan.ToString(), fetched.ToString());
        var squat = fetched.GetProperty("days")[0].GetProperty("exercises")[0];
        Assert.AreEqual("barbell-back-squat", squat.GetProperty("exerciseId").GetString());
        Assert.AreEqual(180, squat.GetProperty("restSeconds").GetInt32());
    }

    [TestMethod]
    public async Task CreatePlan_FlagsHasErrors_WhenAnExerciseNeedsEquipmentTheUserLacks()
    {
        var user = await LifterAsync("dumbbells", "bench");

        var plan = await CreatePlanAsync(Host, user, GoodPlan());

        Assert.IsTrue(plan.GetProperty("hasErrors").GetBoolean());
        var v9 = plan.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("code").GetString() == "V9.equipment_unavailable").ToList();
        Assert.IsNotEmpty(v9);
        Assert.AreEqual("error", v9[0].GetProperty("severity").GetString());
        Assert.AreEqual("days[0].exercises[0]", v9[0].GetProperty("path").GetString());
        var stored = await Host.SendAsync(HttpMethod.Get, $"/api/workouts/plans/{plan.GetProperty("id").GetString()}", user.AccessToken);
        Assert.AreEqual(HttpStatusCode.OK, stored.StatusCode, "a plan with errors is kept, flagged");
    }

    [TestMethod]
    public async Task CreatePlan_DefaultsGoalFromProfile_AndRirAndRest()
    {
        var user = await LifterAsync();

        var plan = await CreatePlanAsync(Host, user, new { name = "Quick", days = new[] { new { exercises = new[] { new { exerciseId = "goblet-squat", sets = 3, repsMin = 8, repsMax = 12 } } } } });

        Assert.AreEqual("strength", plan.GetProperty("goal").GetString());
        var day = plan.GetProperty("days")[0];
        Assert.AreEqual("Day 1", day.GetProperty("name").GetString());
        Assert.AreEqual(2, day.GetProperty("exercises")[0].GetProperty("targetRir").GetInt32());
        Assert.AreEqual(90, day.GetProperty("exercises")[0].GetProperty("restSeconds").GetInt32());
    }

    [TestMethod]
    public async Task ListPlans_NewestFirst_InPagesWithAnOpaqueCursor()
    {
        var user = await LifterAsync();
        foreach (var name in new[] { "first", "second", "third" })
            await CreatePlanAsync(Host, user, GoodPlan(name));

        var first = await Json(await Host.SendAsync(HttpMethod.Get, "/api/workouts/plans?limit=2", user.AccessToken), HttpStatusCode.OK);
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await Json(await Host.SendAsync(HttpMethod.Get, $"/api/workouts/plans?limit=2&cursor={cursor}", user.AccessToken), HttpStatusCode.OK);

        CollectionAssert.AreEqual(new[] { "third", "second" }, first.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToArray());
        CollectionAssert.AreEqual(new[] { "first" }, second.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToArray());
        Assert.IsFalse(second.TryGetProperty("nextCursor", out _));
    }

    [TestMethod]
    public async Task AnotherUsersPlan_NotFound_OnGetAndDelete_AndIsKept()
    {
        var owner = await LifterAsync();
        var other = await Host.RegisterAsync();
        var id = (await CreatePlanAsync(Host, owner, GoodPlan())).GetProperty("id").GetString();

        var get = await Host.SendAsync(HttpMethod.Get, $"/api/workouts/plans/{id}", other.AccessToken);
        var delete = await Host.SendAsync(HttpMethod.Delete, $"/api/workouts/plans/{id}", other.AccessToken);
        var list = await Json(await Host.SendAsync(HttpMethod.Get, "/api/workouts/plans", other.AccessToken), HttpStatusCode.OK);

        Assert.AreEqual(HttpStatusCode.NotFound, get.StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.AreEqual(0, list.GetProperty("items").GetArrayLength());
        Assert.AreEqual(HttpStatusCode.OK, (await Host.SendAsync(HttpMethod.Get, $"/api/workouts/plans/{id}", owner.AccessToken)).StatusCode);
    }

    [TestMethod]
    [DataRow("not-a-uuid")]
    [DataRow("00000000-0000-0000-0000-000000000000")]
    [DataRow("%27%3B%20DROP%20TABLE%20plans%3B--")]
    public async Task MalformedOrUnknownId_NotFound(string id)
    {
        var user = await Host.RegisterAsync();

        Assert.AreEqual(HttpStatusCode.NotFound, (await Host.SendAsync(HttpMethod.Get, $"/api/workouts/plans/{id}", user.AccessToken)).StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, (await Host.SendAsync(HttpMethod.Delete, $"/api/workouts/plans/{id}", user.AccessToken)).StatusCode);
    }

    [TestMethod]
    public async Task DeletePlan_NoContent_ThenGone_AndItsLogsStay()
    {
        var user = await LifterAsync();
        var id = (await CreatePlanAsync(Host, user, GoodPlan())).GetProperty("id").GetString()!;
        var log = await LogAsync(Host, user, new
        {
            planId = id, performedAt = DateTimeOffset.UtcNow.AddHours(-2), durationMinutes = 50,
            exercises = new[] { Lift("barbell-back-squat", Set(5, 100)) },
        });

        var delete = await Host.SendAsync(HttpMethod.Delete, $"/api/workouts/plans/{id}", user.AccessToken);
        var after = await Host.SendAsync(HttpMethod.Get, $"/api/workouts/plans/{id}", user.AccessToken);
        var kept = await Json(await Host.SendAsync(HttpMethod.Get, $"/api/workouts/logs/{log.GetProperty("id").GetString()}", user.AccessToken), HttpStatusCode.OK);

        Assert.AreEqual(id, log.GetProperty("planId").GetString());
        Assert.AreEqual(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, after.StatusCode);
        Assert.IsFalse(kept.TryGetProperty("planId", out _));
        Assert.AreEqual(100, kept.GetProperty("exercises")[0].GetProperty("sets")[0].GetProperty("weightKg").GetDouble());
    }

    [TestMethod]
    [DataRow("""{"goal":"strength","days":[{"exercises":[{"exerciseId":"goblet-squat","sets":3,"repsMin":8,"repsMax":12}]}]}""", "name")]
    [DataRow("""{"name":"x","goal":"bulk","days":[{"exercises":[{"exerciseId":"goblet-squat","sets":3,"repsMin":8,"repsMax":12}]}]}""", "goal")]
    [DataRow("""{"name":"x","days":[]}""", "days")]
    [DataRow("""{"name":"x","days":[{},{},{},{},{},{},{},{}]}""", "days")]
    [DataRow("""{"name":"x","days":[{"exercises":[]}]}""", "days[0].exercises")]
    [DataRow("""{"name":"x","days":[null]}""", "days[0]")]
    [DataRow("""{"name":"x","days":[{"exercises":[{"exerciseId":"moon-squat","sets":3,"repsMin":8,"repsMax":12}]}]}""", "days[0].exercises[0].exerciseId")]
    [DataRow("""{"name":"x","days":[{"exercises":[{"exerciseId":"goblet-squat","sets":0,"repsMin":8,"repsMax":12}]}]}""", "days[0].exercises[0].sets")]
    [DataRow("""{"name":"x","days":[{"exercises":[{"exerciseId":"goblet-squat","sets":10000,"repsMin":8,"repsMax":12}]}]}""", "days[0].exercises[0].sets")]
    [DataRow("""{"name":"x","days":[{"exercises":[{"exerciseId":"goblet-squat","sets":3,"repsMin":-5,"repsMax":12}]}]}""", "days[0].exercises[0].repsMin")]
    [DataRow("""{"name":"x","days":[{"exercises":[{"exerciseId":"goblet-squat","sets":3,"repsMin":12,"repsMax":8}]}]}""", "days[0].exercises[0].repsMax")]
    [DataRow("""{"name":"x","days":[{"exercises":[{"exerciseId":"goblet-squat","sets":3,"repsMin":8,"repsMax":12,"targetRir":11}]}]}""", "days[0].exercises[0].targetRir")]
    [DataRow("""{"name":"x","days":[{"exercises":[{"exerciseId":"goblet-squat","sets":3,"repsMin":8,"repsMax":12,"restSeconds":-1}]}]}""", "days[0].exercises[0].restSeconds")]
    [DataRow("""{"name":"x","days":[{"exercises":[{"exerciseId":"goblet-squat","sets":"three","repsMin":8,"repsMax":12}]}]}""", "days[0].exercises[0].sets")]
    public async Task CreatePlan_BadInput_BadRequestNamingTheField(string body, string field)
    {
        var user = await Host.RegisterAsync();

        var response = await Host.Client.SendAsync(TestHost.Request(HttpMethod.Post, "/api/workouts/plans", user.AccessToken,
            new StringContent(body, Encoding.UTF8, "application/json")));

        CollectionAssert.Contains(await ErrorFieldsAsync(response), field);
        var list = await Json(await Host.SendAsync(HttpMethod.Get, "/api/workouts/plans", user.AccessToken), HttpStatusCode.OK);
        Assert.AreEqual(0, list.GetProperty("items").GetArrayLength(), "nothing is stored");
    }

    [TestMethod]
    [DataRow("limit=0", "limit")]
    [DataRow("limit=1000", "limit")]
    [DataRow("limit=-1", "limit")]
    [DataRow("cursor=garbage!", "cursor")]
    [DataRow("cursor=AAAA", "cursor")]
    public async Task ListPlans_BadPaging_BadRequestNamingTheParameter(string query, string field)
    {
        var user = await Host.RegisterAsync();

        var response = await Host.SendAsync(HttpMethod.Get, "/api/workouts/plans?" + query, user.AccessToken);

        CollectionAssert.Contains(await ErrorFieldsAsync(response), field);
    }
}
