using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vigor.Core.Usage;
using Vigor.Tests.Support;

namespace Vigor.Tests.Llm;

/// <summary>AI plan generation and workout analysis through the gateway (same host and fake as the chat tests).</summary>
public sealed partial class GatewayEndToEndTests
{
    private static async Task<Session> ProfiledUserAsync()
    {
        var user = await host.RegisterAsync();
        var profile = await host.SendAsync(HttpMethod.Put, "/api/me/profile", user.AccessToken, new
        {
            fitnessLevel = "beginner", goals = new[] { "strength" }, equipment = new[] { "dumbbells", "bench" }, daysPerWeek = 3, sessionMinutes = 45,
        });
        Assert.AreEqual(HttpStatusCode.OK, profile.StatusCode);
        // Registering and the profile write each send a notification (migration 0030) that drops what the instance kept of
        // the user. Heard after the user's next request, one would drop the entry that request kept, and the request after
        // would not be served from it (nor take a quota lease): wait until both are heard.
        await ContextChangesHeardAsync();
        return user;
    }

    private static string ValidPlanJson()
    {
        var generator = host.Services.GetRequiredService<Vigor.Core.Coach.Offline.OfflinePlanGenerator>();
        var context = new Vigor.Core.Workouts.PlanContext("beginner", ["strength"], ["dumbbells", "bench"], [], 3, 45);
        var plan = generator.Generate(context).Plan with { Name = "Model plan" };
        return JsonSerializer.Serialize(plan, Vigor.Core.Infrastructure.Http.VigorJson.Options);
    }

    [TestMethod]
    public async Task GeneratePlan_NoProvider_OfflineGeneratorPlanIsSavedWithoutErrors()
    {
        var user = await ProfiledUserAsync();

        var response = await host.SendAsync(HttpMethod.Post, "/api/workouts/plans/generate", user.AccessToken, new { daysPerWeek = 3 });
        var plan = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var stored = await host.SendAsync(HttpMethod.Get, $"/api/workouts/plans/{plan.GetProperty("id").GetString()}", user.AccessToken);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, plan.ToString());
        Assert.AreEqual("offline", plan.GetProperty("source").GetString());
        Assert.IsFalse(plan.GetProperty("hasErrors").GetBoolean());
        Assert.AreEqual(HttpStatusCode.OK, stored.StatusCode);
    }

    [TestMethod]
    public async Task GeneratePlan_ModelPlanValid_SavedWithTheProvidersName_ThenServedFromTheCache()
    {
        await AddOpenAiProviderAsync();
        fake.Reply = ValidPlanJson();
        var first = await ProfiledUserAsync();
        var second = await ProfiledUserAsync();

        var a = JsonDocument.Parse(await (await host.SendAsync(HttpMethod.Post, "/api/workouts/plans/generate", first.AccessToken, new { })).Content.ReadAsStringAsync()).RootElement;
        var calls = fake.Calls;
        var b = JsonDocument.Parse(await (await host.SendAsync(HttpMethod.Post, "/api/workouts/plans/generate", second.AccessToken, new { })).Content.ReadAsStringAsync()).RootElement;

        Assert.AreEqual("fake-openai", a.GetProperty("source").GetString(), a.ToString());
        Assert.AreEqual("Model plan", a.GetProperty("name").GetString());
        Assert.AreEqual("cache", b.GetProperty("source").GetString());
        Assert.AreEqual(calls, fake.Calls, "the identical, non-personal request is answered from the cache");
        Assert.AreNotEqual(a.GetProperty("id").GetString(), b.GetProperty("id").GetString());
    }

    [TestMethod]
    public async Task GeneratePlan_CacheHit_CountsTheRequest_AndLeavesNoHoldInTheUsersOrTheProvidersBudget()
    {
        var provider = await AddOpenAiProviderAsync();
        fake.Reply = ValidPlanJson();
        var first = await ProfiledUserAsync();
        var second = await ProfiledUserAsync();
        await host.SendAsync(HttpMethod.Post, "/api/workouts/plans/generate", first.AccessToken, new { });
        var counters = host.Services.GetRequiredService<ICounterStore>();
        var now = DateTimeOffset.UtcNow;
        var providerBefore = await counters.GetAsync(UsageKeys.Provider(provider), [UsageKeys.SpendDay(now), UsageKeys.SpendMonth(now)], CancellationToken.None);

        var hit = JsonDocument.Parse(await (await host.SendAsync(HttpMethod.Post, "/api/workouts/plans/generate", second.AccessToken, new { })).Content.ReadAsStringAsync()).RootElement;
        await host.CountersSettledAsync(); // leased units no request used go back first
        var user = await counters.GetAsync(UsageKeys.User(second.UserId), [UsageKeys.RequestsDay(now), UsageKeys.SpendMonth(now)], CancellationToken.None);
        var providerAfter = await counters.GetAsync(UsageKeys.Provider(provider), [UsageKeys.SpendDay(now), UsageKeys.SpendMonth(now)], CancellationToken.None);
        var ledger = await LedgerAsync(second.UserId);

        Assert.AreEqual("cache", hit.GetProperty("source").GetString(), hit.ToString());
        Assert.AreEqual(1, user[UsageKeys.RequestsDay(now)], "a cache hit counts against the quota like any request");
        Assert.AreEqual(0, user.GetValueOrDefault(UsageKeys.SpendMonth(now)), "the worst case held with the reservation is released");
        CollectionAssert.AreEquivalent(providerBefore.ToArray(), providerAfter.ToArray(), "the provider's hold is released too");
        CollectionAssert.AreEqual(new[] { ("cache", "ok") }, ledger.Select(l => (l.ProviderKind, l.Outcome)).ToArray());
    }

    [TestMethod]
    public async Task GeneratePlan_ModelPlanBreaksRules_OneRepairThenOffline()
    {
        await AddOpenAiProviderAsync();
        fake.Reply = JsonSerializer.Serialize(new
        {
            name = "Bad", goal = "strength",
            days = Enumerable.Range(1, 7).Select(d => new { name = $"Day {d}", exercises = new[] { new { exerciseId = "no-such-exercise", sets = 12, repsMin = 1, repsMax = 2, targetRir = 0, restSeconds = 10 } } }),
        });
        var user = await ProfiledUserAsync();
        var calls = fake.Calls;

        var plan = JsonDocument.Parse(await (await host.SendAsync(HttpMethod.Post, "/api/workouts/plans/generate", user.AccessToken, new { sessionMinutes = 40 })).Content.ReadAsStringAsync()).RootElement;
        var ledger = await LedgerAsync(user.UserId);

        Assert.AreEqual("offline", plan.GetProperty("source").GetString(), plan.ToString());
        Assert.IsFalse(plan.GetProperty("hasErrors").GetBoolean());
        Assert.AreEqual(calls + 2, fake.Calls, "one first answer and one repair attempt");
        Assert.AreEqual("invalid_output", ledger[0].Outcome);
        Assert.AreEqual(2 * FakeLlmServer.InputTokens, ledger[0].InputTokens, "both calls are paid for and recorded");
    }

    [TestMethod]
    public async Task GeneratePlan_BadRequest_NamesTheField()
    {
        var user = await ProfiledUserAsync();

        var response = await host.SendAsync(HttpMethod.Post, "/api/workouts/plans/generate", user.AccessToken, new { daysPerWeek = 9, goal = "bulk" });
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.IsTrue(errors.TryGetProperty("daysPerWeek", out _));
        Assert.IsTrue(errors.TryGetProperty("goal", out _));
    }

    private static async Task<string> LogSessionAsync(Session user)
    {
        var exercise = Vigor.Core.Exercises.ExerciseCatalogue.Default.All.First(e => e.Equipment.SequenceEqual(["dumbbells"]) && !e.IsTimed).Id;
        var response = await host.SendAsync(HttpMethod.Post, "/api/workouts/logs", user.AccessToken, new
        {
            performedAt = DateTimeOffset.UtcNow.AddHours(-1), durationMinutes = 45,
            exercises = new[] { new { exerciseId = exercise, sets = new[] { new { reps = 8, weightKg = 20.0, rir = 2 }, new { reps = 8, weightKg = 20.0, rir = 1 } } } },
        });
        Assert.AreEqual(HttpStatusCode.Created, response.StatusCode, await response.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }

    [TestMethod]
    public async Task AnalyzeWorkout_PremiumOnly_OwnLogsOnly_OfflineExplainsTheFacts()
    {
        var premium = await ProfiledUserAsync();
        var free = await ProfiledUserAsync();
        await using (var conn = new NpgsqlConnection(host.ConnectionString))
            await conn.ExecuteAsync("UPDATE users SET tier = 'premium' WHERE id = @id", new { id = premium.UserId });
        var logId = await LogSessionAsync(premium);
        var freeLogId = await LogSessionAsync(free);

        var analysis = await host.SendAsync(HttpMethod.Post, $"/api/workouts/logs/{logId}/analysis", premium.AccessToken);
        var freeTier = await host.SendAsync(HttpMethod.Post, $"/api/workouts/logs/{freeLogId}/analysis", free.AccessToken);
        var notTheirs = await host.SendAsync(HttpMethod.Post, $"/api/workouts/logs/{logId}/analysis", free.AccessToken);
        var body = JsonDocument.Parse(await analysis.Content.ReadAsStringAsync()).RootElement;

        Assert.AreEqual(HttpStatusCode.OK, analysis.StatusCode, body.ToString());
        Assert.AreEqual("offline", body.GetProperty("source").GetString());
        StringAssert.StartsWith(body.GetProperty("analysis").GetString(), "You logged 1 exercises and 2 sets.");
        Assert.AreEqual(HttpStatusCode.Forbidden, freeTier.StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, notTheirs.StatusCode);
    }
}
