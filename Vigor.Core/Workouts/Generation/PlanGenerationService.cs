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
internal sealed class PlanGenerationService(ExerciseCatalogue catalogue, JobService jobs, Npgsql.NpgsqlDataSource dataSource)
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
        // The profile and routing's reads (which hold every tier): one batch, one round trip.
        var route = jobs.RouteReads(userId);
        var meRead = ProfileRepository.MeRead(userId);
        var batch = PgBatch.ExecuteAsync(dataSource, [meRead.Statement, .. route.Statements], ct);
        var routeReads = route.After(batch);
        await batch;
        if (meRead.Result is not { } me)
            return Problems.NotFound("user");
        var tier = (await routeReads.Config).Tiers.FirstOrDefault(t => t.Name == me.Tier);
        if (tier is null || !tier.Features.Contains(Features.PlanGeneration))
            return Problems.Create(403, "upgrade_required", "Your plan does not include AI plan generation.");

        var wanted = new PlanRequest(request.Goal, request.DaysPerWeek, request.SessionMinutes, request.Focus);
        // Only the context: building the offline plan here too cost most of a request's CPU (and of every cache hit).
        var context = OfflinePlanGenerator.ContextFor(PlanContext.FromProfile(me.Profile, me.IsMinor), wanted);
        var prompt = PlanPrompt.Build(context, request.Focus, catalogue);
        var cacheKey = LlmCache.Key(Features.PlanGeneration, prompt, PlanTokens, json: true);
        var start = await jobs.StartLlmAsync(durable, userId, "plan", jobId => new LlmJob(
            jobId, userId, me.Tier, Features.PlanGeneration, prompt, PlanTokens, true,
            JsonSerializer.SerializeToElement(new PlanGenerationInput(userId, context, wanted), VigorJson.Options), cacheKey), ct, routeReads);
        return start;
    }
}
