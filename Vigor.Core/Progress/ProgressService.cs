using System.Globalization;
using Vigor.Core.Exercises;
using Vigor.Core.Infrastructure;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Profiles;
using Vigor.Core.Workouts;

namespace Vigor.Core.Progress;

/// <summary><c>GET progress</c>: the calculator over the caller's logged sessions, at their profile's level.</summary>
internal sealed class ProgressService(
    WorkoutLogRepository logs, PlanRepository plans, ProfileRepository profiles, ProgressCalculator calculator, ExerciseCatalogue catalogue,
    TimeProvider time)
{
    public const int MaxWeeks = 52;

    /// <summary>Streaks, records and trends read the whole history; this bounds it (about eight years at five sessions a week).</summary>
    public const int MaxSessions = 2000;

    public async Task<Outcome<ProgressSummary>> GetAsync(Guid userId, string? weeksParameter, CancellationToken ct)
    {
        var weeks = ProgressCalculator.DefaultWeeks;
        if (!string.IsNullOrEmpty(weeksParameter)
            && (!int.TryParse(weeksParameter, NumberStyles.None, CultureInfo.InvariantCulture, out weeks) || weeks is < 1 or > MaxWeeks))
            return Problems.Validation("weeks", $"must be a whole number from 1 to {MaxWeeks}.");
        if (await profiles.GetMeAsync(userId, ct) is not { } me)
            return Problems.NotFound("user");

        var now = time.GetUtcNow();
        var recent = await logs.RecentSessionsAsync(userId, now, MaxSessions, ct);
        var targets = recent.Count > 0 && recent[^1].PlanId is { } planId ? await TargetsAsync(userId, planId, ct) : null;
        return calculator.Summarize(recent.Select(r => r.Session).ToList(), me.Profile.FitnessLevel ?? "beginner", now, weeks, targets);
    }

    /// <summary>The minimum reps the latest session's plan asks of each exercise (timed ones excluded): the reactive-deload targets.</summary>
    private async Task<IReadOnlyDictionary<string, int>?> TargetsAsync(Guid userId, Guid planId, CancellationToken ct)
    {
        if (await plans.GetOwnAsync(userId, planId, ct) is not { } plan)
            return null;
        return plan.Days.SelectMany(d => d.Exercises)
            .Where(e => catalogue.Find(e.ExerciseId) is { IsTimed: false })
            .GroupBy(e => e.ExerciseId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Min(e => e.RepsMin), StringComparer.Ordinal);
    }
}
