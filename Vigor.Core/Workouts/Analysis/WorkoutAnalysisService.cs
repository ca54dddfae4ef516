using System.Text.Json;
using Microsoft.DurableTask.Client;
using Vigor.Core.Infrastructure;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Jobs;
using Vigor.Core.Llm.Gateway;
using Vigor.Core.Profiles;
using Vigor.Core.Progress;
using Vigor.Core.Usage;

namespace Vigor.Core.Workouts.Analysis;

/// <summary><c>POST workouts/logs/{id}/analysis</c> (premium and up): facts from the progress calculator, explained by a model.</summary>
internal sealed class WorkoutAnalysisService(
    WorkoutLogRepository logs, ProfileRepository profiles, TierRepository tiers, ProgressService progress, JobService jobs)
{
    public const int AnalysisTokens = 500;

    public async Task<Outcome<JobStart>> StartAsync(Guid userId, string id, DurableTaskClient durable, CancellationToken ct)
    {
        if (ResourceId.TryParse(id) is not { } logId || await logs.GetOwnAsync(userId, logId, ct) is not { } log)
            return Problems.NotFound("workout log");
        if (await profiles.GetMeAsync(userId, ct) is not { } me)
            return Problems.NotFound("user");
        if (await tiers.GetAsync(me.Tier, ct) is not { } tier || !tier.Features.Contains(Features.WorkoutAnalysis))
            return Problems.Create(403, "upgrade_required", "Workout analysis comes with the premium and unlimited plans.", "Upgrade to get AI feedback on your sessions.");
        var summary = await progress.GetAsync(userId, "4", ct);
        if (summary.Value is not { } s)
            return summary.Problem!;

        var facts = new AnalysisFacts(log.Id, userId, me.IsMinor, log.Exercises.Count, log.Exercises.Sum(e => e.Sets.Count), log.Rating, log.Records,
            s.WeeklySets.LastOrDefault()?.Muscles ?? [], s.Plateaus, s.Deload, s.Streak.CurrentWeeks);
        var factsJson = JsonSerializer.Serialize(facts, VigorJson.Options);
        IReadOnlyList<PromptMessage> prompt =
        [
            new("system", """
                You are Vigor, a fitness coach. Explain the facts of one logged workout in at most 120 words: what went well,
                what to adjust next session, using only the facts given (weekly sets against the level's band, records,
                plateaus, deload advice). No medical advice, no calorie targets, no new numbers that are not in the facts.
                """),
            new("user", factsJson),
        ];
        var start = await jobs.StartLlmAsync(durable, userId, "analysis", jobId => new LlmJob(
            jobId, userId, me.Tier, Features.WorkoutAnalysis, prompt, AnalysisTokens, false,
            JsonSerializer.SerializeToElement(facts, VigorJson.Options), CacheKey: null), ct);
        return start;
    }
}
