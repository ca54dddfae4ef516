using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Progress;
using Vigor.Tests.Support;
using static Vigor.Tests.Workouts.TrainingRequests;

namespace Vigor.Tests.Progress;

/// <summary>ProgressService answers from SQL aggregates; ProgressCalculator over the stored sessions is the reference.</summary>
[TestClass]
public sealed class ProgressSqlTests
{
    private static TestHost Host => SharedHost.Host;

    [TestMethod]
    public async Task Summarize_FromSql_EqualsTheCalculator_OnARandomHistory()
    {
        var user = await Host.RegisterAsync();
        await SetProfileAsync(Host, user, "intermediate", "barbell", "bench", "dumbbells", "cable");
        var plan = await CreatePlanAsync(Host, user, new
        {
            name = "Random", goal = "strength",
            days = new[] { Day("A", Item("barbell-bench-press", repsMin: 6, repsMax: 8), Item("seated-cable-row"), Item("front-plank", repsMin: 30, repsMax: 60)) },
        });
        var planId = plan.GetProperty("id").GetString();
        var history = new RandomHistory(7);
        var now = DateTimeOffset.UtcNow;
        var ids = new List<string>();
        // About 30 weeks of three sessions a week with two breaks, and one session logged a minute ahead of the clock.
        for (var week = 30; week >= 0; week--)
        {
            if (week is 17 or 9)
                continue;
            for (var k = 0; k < 3; k++)
            {
                var from = now.AddDays(-7 * (week + 1));
                var session = history.Session(history.At(from, from.AddDays(7) < now ? from.AddDays(7) : now.AddHours(-1)), (30 - week) / 30.0);
                var log = await LogAsync(Host, user, RandomHistory.Body(session, k == 0 ? planId : null));
                ids.Add(log.GetProperty("id").GetString()!);
            }
        }
        await LogAsync(Host, user, RandomHistory.Body(history.Session(now.AddMinutes(1), 1)));
        foreach (var id in new[] { ids[3], ids[40], ids[^2] })
            Assert.AreEqual(HttpStatusCode.NoContent, (await Host.SendAsync(HttpMethod.Delete, $"/api/workouts/logs/{id}", user.AccessToken)).StatusCode);
        var stored = await RandomHistory.StoredAsync(Host, user.UserId);
        var service = Host.Services.GetRequiredService<ProgressService>();
        var calculator = Host.Services.GetRequiredService<ProgressCalculator>();
        var differences = new List<string>();
        var plateaus = 0;

        foreach (var asOf in new[] { now, now.AddDays(-10), now.AddDays(-45).AddHours(7) })
        {
            var past = stored.Where(s => s.Session.PerformedAt <= asOf).ToList();
            var targets = past[^1].PlanId is { } latestPlan ? await service.TargetsAsync(user.UserId, latestPlan, CancellationToken.None) : null;
            foreach (var weeks in new[] { 1, 4, 12, 52 })
            {
                var fromSql = await service.SummarizeAsync(user.UserId, weeks, asOf, CancellationToken.None);
                var reference = calculator.Summarize(stored.Select(s => s.Session).ToList(), "intermediate", asOf, weeks, targets);
                var (actual, expected) = (JsonSerializer.Serialize(fromSql, VigorJson.Options), JsonSerializer.Serialize(reference, VigorJson.Options));
                if (actual != expected)
                    differences.Add($"as of {asOf:O}, {weeks} weeks:\nexpected {expected}\nactual   {actual}");
                plateaus += reference.Plateaus.Count;
            }
        }

        Assert.IsEmpty(differences, string.Join("\n\n", differences));
        Assert.IsGreaterThan(0, plateaus, "the fixture has plateaus");
    }

    [TestMethod]
    public async Task Summarize_UnknownUser_IsNull()
    {
        var service = Host.Services.GetRequiredService<ProgressService>();

        var summary = await service.SummarizeAsync(Guid.CreateVersion7(), 8, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.IsNull(summary);
    }
}
