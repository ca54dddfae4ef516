using System.Net;
using System.Text;
using System.Text.Json;
using Vigor.Tests.Support;
using static Vigor.Tests.Workouts.TrainingRequests;

namespace Vigor.Tests.Workouts;

/// <summary>Out-of-range sessions and ranges: 400 naming the field, never a 500, nothing stored.</summary>
[TestClass]
public sealed class WorkoutLogBadInputTests
{
    private static TestHost Host => SharedHost.Host;

    private static Session user = null!;

    [ClassInitialize]
    public static async Task RegisterAsync(TestContext context)
    {
        _ = context;
        user = await Host.RegisterAsync();
    }

    private static string Yesterday => JsonSerializer.Serialize(DateTimeOffset.UtcNow.AddDays(-1));

    private static string Body(string performedAt, string exercises, string extra = "")
        => $$"""{"performedAt":{{performedAt}},"durationMinutes":60,"exercises":{{exercises}}{{extra}}}""";

    private static string OneSet(string set) => $$"""[{"exerciseId":"barbell-bench-press","sets":[{{set}}]}]""";

    private static Task<HttpResponseMessage> PostAsync(string body)
        => Host.Client.SendAsync(TestHost.Request(HttpMethod.Post, "/api/workouts/logs", user.AccessToken, new StringContent(body, Encoding.UTF8, "application/json")));

    private static async Task AssertRejectedAsync(string body, string field)
    {
        var fields = await ErrorFieldsAsync(await PostAsync(body));

        CollectionAssert.Contains(fields, field, string.Join(", ", fields));
        var stored = await Json(await Host.SendAsync(HttpMethod.Get, "/api/workouts/logs", user.AccessToken), HttpStatusCode.OK);
        Assert.AreEqual(0, stored.GetProperty("items").GetArrayLength());
    }

    [TestMethod]
    [DataRow("""{"reps":-1,"weightKg":60}""", "exercises[0].sets[0].reps")]
    [DataRow("""{"reps":1001}""", "exercises[0].sets[0].reps")]
    [DataRow("""{"reps":"five"}""", "exercises[0].sets[0].reps")]
    [DataRow("""{"reps":5.5}""", "exercises[0].sets[0].reps")]
    [DataRow("""{"weightKg":60}""", "exercises[0].sets[0].reps")]
    [DataRow("""{"reps":5,"weightKg":-2.5}""", "exercises[0].sets[0].weightKg")]
    [DataRow("""{"reps":5,"weightKg":1000.5}""", "exercises[0].sets[0].weightKg")]
    [DataRow("""{"reps":5,"weightKg":1e400}""", "exercises[0].sets[0].weightKg")]
    [DataRow("""{"reps":5,"rir":11}""", "exercises[0].sets[0].rir")]
    [DataRow("""{"reps":5,"rir":-1}""", "exercises[0].sets[0].rir")]
    [DataRow("""{"reps":0,"durationSeconds":86401}""", "exercises[0].sets[0].durationSeconds")]
    [DataRow("null", "exercises[0].sets[0]")]
    public async Task LogWorkout_BadSet_BadRequestNamingTheField(string set, string field)
        => await AssertRejectedAsync(Body(Yesterday, OneSet(set)), field);

    [TestMethod]
    [DataRow("""[{"exerciseId":"moon-press","sets":[{"reps":5}]}]""", "exercises[0].exerciseId")]
    [DataRow("""[{"sets":[{"reps":5}]}]""", "exercises[0].exerciseId")]
    [DataRow("""[{"exerciseId":"barbell-bench-press","sets":[]}]""", "exercises[0].sets")]
    [DataRow("""[{"exerciseId":"barbell-bench-press"}]""", "exercises[0].sets")]
    [DataRow("""[null]""", "exercises[0]")]
    [DataRow("""[]""", "exercises")]
    [DataRow("""null""", "exercises")]
    [DataRow("""{"exerciseId":"x"}""", "exercises")]
    public async Task LogWorkout_BadExercises_BadRequestNamingTheField(string exercises, string field)
        => await AssertRejectedAsync(Body(Yesterday, exercises), field);

    [TestMethod]
    public async Task LogWorkout_TenThousandSets_BadRequestNamingTheSets()
    {
        var sets = string.Join(",", Enumerable.Repeat("""{"reps":5}""", 10_000));

        await AssertRejectedAsync(Body(Yesterday, OneSet(sets)), "exercises[0].sets");
    }

    [TestMethod]
    public async Task LogWorkout_ThirtyOneExercises_BadRequestNamingTheExercises()
    {
        var exercises = "[" + string.Join(",", Enumerable.Repeat("""{"exerciseId":"push-up","sets":[{"reps":10}]}""", 31)) + "]";

        await AssertRejectedAsync(Body(Yesterday, exercises), "exercises");
    }

    [TestMethod]
    public async Task LogWorkout_BadSessionFields_BadRequestNamingTheField()
    {
        var sets = OneSet("""{"reps":5,"weightKg":60}""");
        var inAnHour = JsonSerializer.Serialize(DateTimeOffset.UtcNow.AddHours(1));

        await AssertRejectedAsync(Body(inAnHour, sets), "performedAt");
        await AssertRejectedAsync(Body("\"1999-12-31T23:00:00Z\"", sets), "performedAt");
        await AssertRejectedAsync(Body("\"yesterday\"", sets), "performedAt");
        await AssertRejectedAsync($$"""{"durationMinutes":60,"exercises":{{sets}}}""", "performedAt");
        await AssertRejectedAsync(Body(Yesterday, sets).Replace("\"durationMinutes\":60", "\"durationMinutes\":0", StringComparison.Ordinal), "durationMinutes");
        await AssertRejectedAsync(Body(Yesterday, sets).Replace("\"durationMinutes\":60", "\"durationMinutes\":601", StringComparison.Ordinal), "durationMinutes");
        await AssertRejectedAsync(Body(Yesterday, sets, ",\"rating\":6"), "rating");
        await AssertRejectedAsync(Body(Yesterday, sets, ",\"rating\":0"), "rating");
        await AssertRejectedAsync(Body(Yesterday, sets, $",\"notes\":\"{new string('n', 2001)}\""), "notes");
        await AssertRejectedAsync(Body(Yesterday, sets, ",\"notes\":\"a\\u0007b\""), "notes");
        await AssertRejectedAsync(Body(Yesterday, sets, ",\"planId\":\"not-a-uuid\""), "planId");
        await AssertRejectedAsync(Body(Yesterday, sets, $",\"planId\":\"{Guid.NewGuid()}\""), "planId");
    }

    [TestMethod]
    public async Task LogWorkout_WithinClockSkew_IsAccepted()
    {
        var fresh = await Host.RegisterAsync();
        var soon = JsonSerializer.Serialize(DateTimeOffset.UtcNow.AddMinutes(2));

        var response = await Host.Client.SendAsync(TestHost.Request(HttpMethod.Post, "/api/workouts/logs", fresh.AccessToken,
            new StringContent(Body(soon, OneSet("""{"reps":5,"weightKg":60}""")), Encoding.UTF8, "application/json")));

        Assert.AreEqual(HttpStatusCode.Created, response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [TestMethod]
    [DataRow("from=yesterday", "from")]
    [DataRow("to=2025-13-01", "to")]
    [DataRow("from=2025-03-01&to=2025-02-01", "from")]
    [DataRow("from=2023-01-01&to=2024-06-01", "from")]
    [DataRow("from=0001-01-01", "from")]
    [DataRow("to=9999-12-31", "to")]
    [DataRow("from=2025-01-01T00:00:00%2B99:00", "from")]
    [DataRow("limit=0", "limit")]
    [DataRow("limit=101", "limit")]
    [DataRow("cursor=%F0%9F%92%A9", "cursor")]
    public async Task ListLogs_BadRangeOrPaging_BadRequestNamingTheParameter(string query, string field)
    {
        var fields = await ErrorFieldsAsync(await Host.SendAsync(HttpMethod.Get, "/api/workouts/logs?" + query, user.AccessToken));

        CollectionAssert.Contains(fields, field);
    }
}
