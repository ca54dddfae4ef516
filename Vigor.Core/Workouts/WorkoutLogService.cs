using Vigor.Core.Exercises;
using Vigor.Core.Infrastructure;
using Vigor.Core.Infrastructure.Caching;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Progress;

namespace Vigor.Core.Workouts;

/// <summary>The caller's logged sessions; a new log lists the personal records it set against the sessions performed before it.</summary>
internal sealed class WorkoutLogService(
    WorkoutLogRepository logs, WorkoutLogBatcher batcher, PlanRepository plans, ExerciseCatalogue catalogue, ProgressCache progress, ChangeNotifier notifier,
    TimeProvider time, Llm.Gateway.PendingSettles settles)
{
    // A plan answered from a cache hit commits just after its answer (QuotaLeases): this instance waits for the user's
    // writes still running before it says the plan is not theirs.
    private async Task<bool> OwnsPlanAsync(Guid userId, Guid planId, CancellationToken ct)
    {
        if (await plans.OwnsAsync(userId, planId, ct))
            return true;
        if (settles.Count == 0)
            return false;
        await settles.WhenSettledAsync(userId, ct);
        return await plans.OwnsAsync(userId, planId, ct);
    }

    public async Task<Outcome<WorkoutLogView>> LogAsync(Guid userId, LogWorkoutRequest request, CancellationToken ct)
    {
        var errors = WorkoutLogValidator.Validate(request, catalogue, time.GetUtcNow());
        if (!errors.IsEmpty)
            return errors.ToProblem();
        // A missing plan and another user's plan read the same, so the answer reveals nothing about other users.
        if (request.PlanId is { } planId && !await OwnsPlanAsync(userId, planId, ct))
            return Problems.Validation("planId", "is not one of your plans.");

        var session = new LoggedSession(
            RecordedTime.Normalize(request.PerformedAt!.Value),
            request.Exercises!.Select(e => new LoggedExercise(
                e!.ExerciseId!,
                e.Sets!.Select(s => new LoggedSet(s!.Reps ?? 0, s.WeightKg, s.DurationSeconds, s.Rir)).ToList())).ToList());
        var notes = string.IsNullOrWhiteSpace(request.Notes) ? null : request.Notes.Trim();
        var logged = await batcher.InsertAsync(
            new NewWorkoutLog(userId, request.PlanId, request.DurationMinutes!.Value, session, request.Rating, notes), ct);
        progress.Invalidate(userId); // committed: this instance's next progress read sees it
        // insert_workout_log leaves the notification to the app (migration 0016): the other instances hear it before we answer.
        await notifier.NotifyAsync(ProgressCache.TrainingChannel, userId, ct);
        return logged;
    }

    public async Task<Outcome<WorkoutLogView>> GetAsync(Guid userId, string id, CancellationToken ct)
        => ResourceId.TryParse(id) is { } logId && await logs.GetOwnAsync(userId, logId, ct) is { } log
            ? log
            : Problems.NotFound("workout log");

    public async Task<Page<WorkoutLogView>> ListAsync(Guid userId, DateRange range, PageRequest page, CancellationToken ct)
        => Paging.ToPage(await logs.ListOwnAsync(userId, range, page.After, page.Limit + 1, ct), page.Limit, l => l.Id);

    public async Task<ProblemResult?> DeleteAsync(Guid userId, string id, CancellationToken ct)
    {
        if (ResourceId.TryParse(id) is not { } logId || !await logs.DeleteOwnAsync(userId, logId, ct))
            return Problems.NotFound("workout log");
        progress.Invalidate(userId);
        return null;
    }
}
