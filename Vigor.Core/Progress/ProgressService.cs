using System.Globalization;
using Vigor.Core.Exercises;
using Vigor.Core.Infrastructure;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Workouts;

namespace Vigor.Core.Progress;

/// <summary>
/// <c>GET progress</c> from indexed aggregates (ProgressRepository) instead of the caller's whole history, at their
/// profile's level. It answers what ProgressCalculator computes from the sessions themselves (the tests hold it to that).
/// A summary is served from <see cref="ProgressCache"/> while the user's training data is unchanged.
/// </summary>
internal sealed class ProgressService(
    ProgressRepository progress, PlanRepository plans, ExerciseCatalogue catalogue, ProgressCache cache, TimeProvider time)
{
    public const int MaxWeeks = 52;

    public async Task<Outcome<ProgressSummary>> GetAsync(Guid userId, string? weeksParameter, CancellationToken ct)
    {
        var weeks = ProgressCalculator.DefaultWeeks;
        if (!string.IsNullOrEmpty(weeksParameter)
            && (!int.TryParse(weeksParameter, NumberStyles.None, CultureInfo.InvariantCulture, out weeks) || weeks is < 1 or > MaxWeeks))
            return Problems.Validation("weeks", $"must be a whole number from 1 to {MaxWeeks}.");
        return await SummarizeAsync(userId, weeks, time.GetUtcNow(), ct) is { } summary ? summary : Problems.NotFound("user");
    }

    /// <returns>Null when the user does not exist.</returns>
    public async Task<ProgressSummary?> SummarizeAsync(Guid userId, int weeks, DateTimeOffset asOf, CancellationToken ct)
    {
        if (cache.TryGet(userId, weeks, asOf, out var cached))
            return cached;
        var ticket = cache.Begin(userId);
        if (await ComputeAsync(userId, weeks, asOf, ct) is not { } computed)
            return null;
        // Right until the day changes (streaks, week windows) or the next future-dated session counts.
        var until = TrainingWeeks.StartOf(TrainingWeeks.Day(asOf).AddDays(1));
        if (computed.NextLogAt is { } next && next < until)
            until = next;
        cache.Store(userId, weeks, computed.Summary, ticket, asOf, until);
        return computed.Summary;
    }

    private async Task<(ProgressSummary Summary, DateTimeOffset? NextLogAt)?> ComputeAsync(Guid userId, int weeks, DateTimeOffset asOf, CancellationToken ct)
    {
        var window = TrainingWeeks.Window(asOf, weeks);
        if (await progress.ReadAsync(userId, asOf, TrainingWeeks.StartOf(window[0]), ct) is not { } data)
            return null;
        var targets = data.Latest.Count > 0 && data.Latest[^1].PlanId is { } planId ? await TargetsAsync(userId, planId, ct) : null;
        var level = data.Level ?? "beginner";
        var byWeek = data.Days.GroupBy(d => TrainingWeeks.WeekStart(d.Day)).ToDictionary(g => g.Key, g => (Sessions: g.Sum(d => d.Sessions), Sets: g.Sum(d => d.Sets)));
        var summary = new ProgressSummary(
            Streaks.FromDays(data.Days.Select(d => d.Day).ToHashSet(), TrainingWeeks.Day(asOf)),
            ProgressCalculator.SessionsPerWeek(byWeek.ToDictionary(w => w.Key, w => w.Value.Sessions), asOf, weeks),
            WeeklyMuscleVolume.FromCounts(data.WeeklySets, catalogue, level, asOf, weeks),
            data.Bests,
            data.Trends,
            PlateauDetector.Detect(data.PlateauTails),
            DeloadAdvisor.Suggest(
                data.Latest.Select(l => l.Session).ToList(),
                DeloadAdvisor.ContinuousWeeks(byWeek.ToDictionary(w => w.Key, w => w.Value.Sets), asOf),
                level, targets));
        return (summary, data.NextLogAt);
    }

    /// <summary>The minimum reps the latest session's plan asks of each exercise (timed ones excluded): the reactive-deload targets.</summary>
    public async Task<IReadOnlyDictionary<string, int>?> TargetsAsync(Guid userId, Guid planId, CancellationToken ct)
    {
        if (await plans.GetOwnAsync(userId, planId, ct) is not { } plan)
            return null;
        return plan.Days.SelectMany(d => d.Exercises)
            .Where(e => catalogue.Find(e.ExerciseId) is { IsTimed: false })
            .GroupBy(e => e.ExerciseId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Min(e => e.RepsMin), StringComparer.Ordinal);
    }
}
