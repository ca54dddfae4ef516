using System.Net;
using System.Text.Json;
using Vigor.Core.Progress;
using Vigor.Tests.Support;

namespace Vigor.Tests.Workouts;

/// <summary>Request builders and calls shared by the training API tests.</summary>
internal static class TrainingRequests
{
    public static object Item(string exerciseId, int sets = 3, int repsMin = 8, int repsMax = 12, int targetRir = 2, int restSeconds = 120) =>
        new { exerciseId, sets, repsMin, repsMax, targetRir, restSeconds };

    public static object Day(string name, params object[] exercises) => new { name, exercises };

    public static object Set(int reps, double? weightKg = null, int? rir = null) => new { reps, weightKg, rir };

    public static object Lift(string exerciseId, params object[] sets) => new { exerciseId, sets };

    public static object Log(DateTimeOffset performedAt, params object[] exercises) =>
        new { performedAt, durationMinutes = 60, exercises, rating = 4 };

    /// <summary>A Monday at 00:00 UTC: <paramref name="weeksAgo"/> weeks before the current ISO week.</summary>
    public static DateTimeOffset WeekStart(int weeksAgo)
    {
        var monday = TrainingWeeks.WeekStart(DateTimeOffset.UtcNow);
        return new DateTimeOffset(monday.AddDays(-7 * weeksAgo).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
    }

    public static async Task<JsonElement> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(expected, response.StatusCode, body);
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task SetProfileAsync(TestHost host, Session user, string level, params string[] equipment)
    {
        var response = await host.SendAsync(HttpMethod.Put, "/api/me/profile", user.AccessToken, new
        {
            fitnessLevel = level, goals = new[] { "strength" }, equipment, daysPerWeek = 4, sessionMinutes = 90,
        });
        await Json(response, HttpStatusCode.OK);
    }

    public static async Task<JsonElement> CreatePlanAsync(TestHost host, Session user, object plan)
        => await Json(await host.SendAsync(HttpMethod.Post, "/api/workouts/plans", user.AccessToken, plan), HttpStatusCode.Created);

    public static async Task<JsonElement> LogAsync(TestHost host, Session user, object log)
        => await Json(await host.SendAsync(HttpMethod.Post, "/api/workouts/logs", user.AccessToken, log), HttpStatusCode.Created);

    /// <summary>The field names of a 400's <c>errors</c>.</summary>
    public static async Task<List<string>> ErrorFieldsAsync(HttpResponseMessage response)
    {
        var json = await Json(response, HttpStatusCode.BadRequest);
        Assert.AreEqual("validation", json.GetProperty("code").GetString());
        return json.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
    }
}
