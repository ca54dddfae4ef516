using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Vigor.Core.Coach.Offline;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Llm.Gateway;
using Vigor.Core.Usage;
using Vigor.Core.Workouts;
using Vigor.Core.Workouts.Generation;
using Vigor.Core.Workouts.Validation;
using Vigor.Tests.Support;
using static Vigor.Tests.Workouts.PlanFixtures;

namespace Vigor.Tests.Workouts;

/// <summary>
/// A remembered cache entry's text is served hit after hit, and the feature keeps its parsed plan and findings with it:
/// each job's plan must still be judged against that job's own context.
/// </summary>
[TestClass]
public sealed class PlanGenerationCheckTests
{
    private static ILlmFeature Feature => SharedHost.Host.Services.GetServices<ILlmFeature>().Single(f => f.Name == Features.PlanGeneration);

    private static string[] FindingsOf(PlanContext context, string text)
    {
        var userId = Guid.NewGuid();
        var job = new LlmJob("plan-" + Guid.CreateVersion7().ToString("N"), userId, "premium", Features.PlanGeneration, [], 1800, true,
            JsonSerializer.SerializeToElement(new PlanGenerationInput(userId, context, new PlanRequest()), VigorJson.Options), "key");
        var result = new LlmJobResult(LlmJobResult.Answered, text, "cache", null, null, 0, true, 0);
        var payload = Feature.CompleteStatement(job, result)!.Value.Payload;
        return [.. payload.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()!)];
    }

    [TestMethod]
    public void TheSameCachedText_IsJudgedAgainstEachJobsOwnContext()
    {
        var plan = Plan("hypertrophy", FullBodyDay(), FullBodyDay(), FullBodyDay());
        var text = JsonSerializer.Serialize(plan, VigorJson.Options); // one instance, as a remembered entry's text is
        var (healthy, injured) = (Context(), Context(injuries: ["knee"]));
        var validator = SharedHost.Host.Services.GetRequiredService<PlanValidator>();
        var expectedHealthy = validator.Validate(plan, healthy).Findings.Select(f => f.Code).ToArray();
        var expectedInjured = validator.Validate(plan, injured).Findings.Select(f => f.Code).ToArray();

        var first = FindingsOf(healthy, text);
        var second = FindingsOf(injured, text);
        var third = FindingsOf(healthy, text);

        CollectionAssert.AreNotEqual(expectedHealthy, expectedInjured, "the two contexts must judge this plan differently");
        CollectionAssert.AreEqual(expectedHealthy, first);
        CollectionAssert.AreEqual(expectedInjured, second);
        CollectionAssert.AreEqual(expectedHealthy, third);
    }
}
