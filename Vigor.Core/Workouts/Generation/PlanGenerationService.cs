using System.Text.Json;
using Microsoft.DurableTask.Client;
using Vigor.Core.Coach.Offline;
using Vigor.Core.Exercises;
using Vigor.Core.Infrastructure;
using Vigor.Core.Infrastructure.Data;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Jobs;
using Vigor.Core.Llm.Gateway;
using Vigor.Core.Profiles;
using Vigor.Core.Usage;

namespace Vigor.Core.Workouts.Generation;

public sealed record GeneratePlanRequest(string? Goal = null, int? DaysPerWeek = null, int? SessionMinutes = null, string? Focus = null);

/// <summary><c>POST workouts/plans/generate</c>: validates the request, builds the job for the gateway, starts it.</summary>
internal sealed class PlanGenerationService(
    ExerciseCatalogue catalogue, JobService jobs, Npgsql.NpgsqlDataSource dataSource, LlmCache cache, LlmHitContexts contexts, QuotaLeases leases)
{
    public const int PlanTokens = 1800;

    public async Task<Outcome<JobStart>> StartAsync(Guid userId, GeneratePlanRequest request, DurableTaskClient durable, CancellationToken ct)
    {
        var errors = new FieldErrors()
            .Check(request.Goal is null || ProfileVocabulary.Goals.Contains(request.Goal), "goal", $"must be one of: {string.Join(", ", ProfileVocabulary.Goals)}.")
            .Range(request.DaysPerWeek, 1, 7, "daysPerWeek")
            .Range(request.SessionMinutes, 15, 120, "sessionMinutes")
            .Text(request.Focus, "focus", 40);
        if (!errors.IsEmpty)
            return errors.ToProblem();
        var wanted = new PlanRequest(request.Goal, request.DaysPerWeek, request.SessionMinutes, request.Focus);
        // A remembered cache hit built from what this instance kept of the user: the hit's batch checks that it is still so
        // (LlmHitContexts), so the request is one round trip. Anything else reads afresh.
        var kept = contexts.Get(userId);
        Built? keptBuilt = null;
        if (kept is not null && kept.Tier.Features.Contains(Features.PlanGeneration))
        {
            // Built once per kept entry and request: the prompt and its cache key depend on nothing else.
            keptBuilt = kept.Derive((wanted, request.Focus), () => Build(userId, kept.Me, wanted, request.Focus));
            if (cache.Recall(keptBuilt.Key) is { } remembered)
            {
                // With a unit of a quota lease, no round trip before the answer: the lease counted the request already.
                if (leases.TryTake(userId, kept.Tier.Name, kept.Versions.Tier) is { } lease
                    && jobs.StartLeasedHit(userId, "plan", jobId => Job(jobId, userId, kept.Me.Tier, keptBuilt), remembered, lease) is { } answered)
                {
                    kept.Serve();
                    return answered;
                }
                if (await jobs.TryStartContextHitAsync(userId, "plan", jobId => Job(jobId, userId, kept.Me.Tier, keptBuilt),
                        kept.Tier, remembered, LlmHitContexts.GuardStatement(userId, kept)) is { } hit)
                {
                    kept.Serve();
                    leases.Offer(userId, kept.Tier.Name, kept.Versions.Tier, kept.Tier);
                    return hit;
                }
                contexts.Forget(userId);
            }
        }

        // The profile and routing's reads (which hold every tier): one batch, one round trip.
        var ticket = contexts.Begin(userId);
        var route = jobs.RouteReads(userId);
        var meRead = ProfileRepository.MeWithVersionsRead(userId);
        var batch = PgBatch.ExecuteAsync(dataSource, [meRead.Statement, .. route.Statements], ct);
        var routeReads = route.After(batch);
        await batch;
        if (meRead.Result is not { } me)
            return Problems.NotFound("user");
        var tier = (await routeReads.Config).Tiers.FirstOrDefault(t => t.Name == me.Tier);
        if (tier is not null && meRead.Versions is { } versions)
            contexts.Store(userId, me, tier, versions, ticket);
        if (tier is null || !tier.Features.Contains(Features.PlanGeneration))
            return Problems.Create(403, "upgrade_required", "Your plan does not include AI plan generation.");

        // Rows still the versions kept: the request built from them is this one (a miss on an entry not remembered).
        var built = keptBuilt is not null && meRead.Versions == kept!.Versions ? keptBuilt : Build(userId, me, wanted, request.Focus);
        var start = await jobs.StartLlmAsync(durable, userId, "plan", jobId => Job(jobId, userId, me.Tier, built), ct, routeReads);
        return start;
    }

    // Input: the job's feature input, the same for every request built alike (kept with the rest, not serialised per hit).
    private sealed record Built(PlanContext Context, IReadOnlyList<PromptMessage> Prompt, string Key, JsonElement Input);

    // Only the context: building the offline plan here too cost most of a request's CPU (and of every cache hit).
    private Built Build(Guid userId, MeResponse me, PlanRequest wanted, string? focus)
    {
        var context = OfflinePlanGenerator.ContextFor(PlanContext.FromProfile(me.Profile, me.IsMinor), wanted);
        var prompt = PlanPrompt.Build(context, focus, catalogue);
        return new Built(context, prompt, LlmCache.Key(Features.PlanGeneration, prompt, PlanTokens, json: true),
            JsonSerializer.SerializeToElement(new PlanGenerationInput(userId, context, wanted), VigorJson.Options));
    }

    private static LlmJob Job(string jobId, Guid userId, string tier, Built built) => new(
        jobId, userId, tier, Features.PlanGeneration, built.Prompt, PlanTokens, true, built.Input, built.Key);
}
