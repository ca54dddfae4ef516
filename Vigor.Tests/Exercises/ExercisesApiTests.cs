using System.Net;
using System.Text.Json;
using Vigor.Core.Exercises;
using Vigor.Tests.Support;
using static Vigor.Tests.Workouts.TrainingRequests;

namespace Vigor.Tests.Exercises;

[TestClass]
public sealed class ExercisesApiTests
{
    private static TestHost Host => SharedHost.Host;

    private static Session user = null!;

    [ClassInitialize]
    public static async Task RegisterAsync(TestContext context)
    {
        _ = context;
        user = await Host.RegisterAsync();
    }

    private static async Task<JsonElement> GetAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
        => await Json(await Host.SendAsync(HttpMethod.Get, path, user.AccessToken), expected);

    private static List<JsonElement> Items(JsonElement page) => page.GetProperty("items").EnumerateArray().ToList();

    private static List<string> Strings(JsonElement element, string property) =>
        element.GetProperty(property).EnumerateArray().Select(e => e.GetString()!).ToList();

    [TestMethod]
    public async Task ListExercises_FiltersByMuscleEquipmentAndLevel_AllAtOnce()
    {
        var page = await GetAsync("/api/exercises?muscle=pecs&equipment=dumbbells&level=beginner&limit=100");

        var items = Items(page);
        Assert.IsNotEmpty(items);
        foreach (var item in items)
        {
            Assert.Contains("chest", Strings(item, "primaryMuscles").Concat(Strings(item, "secondaryMuscles")).ToList());
            Assert.Contains("dumbbells", Strings(item, "equipment"));
            Assert.AreEqual("beginner", item.GetProperty("level").GetString());
        }
        Assert.IsTrue(items.Any(i => i.GetProperty("id").GetString() == "dumbbell-bench-press"));
    }

    [TestMethod]
    public async Task ListExercises_TextSearch_RanksTheNamedExerciseFirst()
    {
        var page = await GetAsync("/api/exercises?q=goblet%20squat");

        var first = Items(page)[0];
        Assert.AreEqual("goblet-squat", first.GetProperty("id").GetString());
        Assert.IsNotEmpty(Strings(first, "instructions"));
        Assert.AreEqual("squat", first.GetProperty("pattern").GetString());
        Assert.AreEqual("compound", first.GetProperty("mechanic").GetString());
        Assert.IsNotEmpty(Strings(first, "loadsAreas"));
    }

    [TestMethod]
    public async Task ListExercises_Pages_ThroughTheWholeCatalogueWithoutRepeats()
    {
        var seen = new List<string>();
        string? cursor = null;

        do
        {
            var page = await GetAsync("/api/exercises?limit=100" + (cursor is null ? "" : "&cursor=" + cursor));
            seen.AddRange(Items(page).Select(i => i.GetProperty("id").GetString()!));
            cursor = page.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
        }
        while (cursor is not null);

        Assert.HasCount(ExerciseCatalogue.Default.All.Count, seen);
        Assert.HasCount(seen.Count, seen.Distinct().ToList());
    }

    [TestMethod]
    public async Task GetExercise_ReturnsTheEntry_And404ForAnUnknownId()
    {
        var squat = await GetAsync("/api/exercises/barbell-back-squat");
        var missing = await GetAsync("/api/exercises/no-such-lift", HttpStatusCode.NotFound);

        Assert.AreEqual("Barbell Back Squat", squat.GetProperty("name").GetString());
        CollectionAssert.AreEqual(new[] { "barbell" }, Strings(squat, "equipment"));
        Assert.AreEqual("not_found", missing.GetProperty("code").GetString());
    }

    [TestMethod]
    public async Task Alternatives_StayWithinTheGivenEquipment_AndKeepPatternAndMuscles()
    {
        var alternatives = (await GetAsync("/api/exercises/barbell-bench-press/alternatives?equipment=dumbbells,bench")).EnumerateArray().ToList();

        Assert.IsNotEmpty(alternatives);
        Assert.IsTrue(alternatives.Any(a => a.GetProperty("id").GetString() == "dumbbell-bench-press"));
        foreach (var alternative in alternatives)
        {
            Assert.AreEqual("horizontal_push", alternative.GetProperty("pattern").GetString());
            Assert.Contains("chest", Strings(alternative, "primaryMuscles").Concat(["triceps"]).ToList());
            Assert.IsTrue(Strings(alternative, "equipment").All(e => e is "dumbbells" or "bench" or "bodyweight"), alternative.GetProperty("id").GetString());
        }
    }

    [TestMethod]
    public async Task Alternatives_WithBodyweightOnly_OfferNoLoadedLifts()
    {
        var alternatives = (await GetAsync("/api/exercises/barbell-bench-press/alternatives?equipment=bodyweight")).EnumerateArray().ToList();

        Assert.IsNotEmpty(alternatives);
        Assert.IsTrue(alternatives.All(a => Strings(a, "equipment").SequenceEqual(["bodyweight"])));
    }

    [TestMethod]
    [DataRow("/api/exercises?level=godlike", "level")]
    [DataRow("/api/exercises?equipment=spaceship", "equipment")]
    [DataRow("/api/exercises?muscle=wings2", "muscle")]
    [DataRow("/api/exercises?limit=0", "limit")]
    [DataRow("/api/exercises?limit=101", "limit")]
    [DataRow("/api/exercises?limit=ten", "limit")]
    [DataRow("/api/exercises?cursor=not-a-cursor", "cursor")]
    [DataRow("/api/exercises?cursor=eDk5OTk5", "cursor")]
    [DataRow("/api/exercises/barbell-bench-press/alternatives?equipment=barbell,spaceship", "equipment")]
    public async Task BadQuery_BadRequestNamingTheParameter(string path, string field)
    {
        var fields = await ErrorFieldsAsync(await Host.SendAsync(HttpMethod.Get, path, user.AccessToken));

        Assert.Contains(field, fields);
    }

    [TestMethod]
    public async Task Exercises_NeedAnAccessToken()
    {
        var response = await Host.SendAsync(HttpMethod.Get, "/api/exercises", token: null);

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
