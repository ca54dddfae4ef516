using Vigor.Core.Exercises;
using Vigor.Core.Infrastructure;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Profiles;
using Vigor.Core.Workouts.Validation;

namespace Vigor.Core.Workouts;

/// <summary>The caller's plans: every plan is checked against their profile and stored with its findings.</summary>
internal sealed class PlanService(
    PlanRepository plans, ProfileRepository profiles, PlanValidator validator, ExerciseCatalogue catalogue, Progress.ProgressCache progress,
    Llm.Gateway.PendingSettles settles)
{
    public const string ManualSource = "manual";

    public async Task<Outcome<PlanView>> CreateManualAsync(Guid userId, CreatePlanRequest request, CancellationToken ct)
    {
        var errors = PlanRequestValidator.Validate(request, catalogue);
        if (!errors.IsEmpty)
            return errors.ToProblem();
        if (await profiles.GetMeAsync(userId, ct) is not { } me)
            return Problems.NotFound("user");
        var goal = request.Goal ?? me.Profile.Goals.FirstOrDefault() ?? "general_fitness";
        return await SaveAsync(userId, me, PlanRequestValidator.ToPlan(request, goal), ManualSource, ct);
    }

    /// <summary>Validates <paramref name="plan"/> for the caller and stores it; <paramref name="source"/> says who wrote it.</summary>
    public async Task<PlanView> SaveAsync(Guid userId, MeResponse me, Plan plan, string source, CancellationToken ct)
    {
        var validation = validator.Validate(plan, PlanContext.FromProfile(me.Profile, me.IsMinor));
        return await plans.InsertAsync(userId, plan, source, validation, ct);
    }

    // A generated plan answered from a cache hit commits just after its answer (QuotaLeases): the user's reads of plans in
    // this instance wait for those writes first (at once when none is running).
    public async Task<Outcome<PlanView>> GetAsync(Guid userId, string id, CancellationToken ct)
    {
        await settles.WhenSettledAsync(userId, ct);
        return ResourceId.TryParse(id) is { } planId && await plans.GetOwnAsync(userId, planId, ct) is { } plan
            ? plan
            : Problems.NotFound("plan");
    }

    public async Task<Page<PlanView>> ListAsync(Guid userId, PageRequest page, CancellationToken ct)
    {
        await settles.WhenSettledAsync(userId, ct);
        return Paging.ToPage(await plans.ListOwnAsync(userId, page.After, page.Limit + 1, ct), page.Limit, p => p.Id);
    }

    public async Task<ProblemResult?> DeleteAsync(Guid userId, string id, CancellationToken ct)
    {
        await settles.WhenSettledAsync(userId, ct);
        if (ResourceId.TryParse(id) is not { } planId || !await plans.DeleteOwnAsync(userId, planId, ct))
            return Problems.NotFound("plan");
        progress.Invalidate(userId); // progress's deload targets come from the plan of the latest session
        return null;
    }
}
