namespace Vigor.Core.Workouts.Validation;

/// <summary>
/// V7: weekly sets per muscle rise by at most 20% or 2 sets week on week (§3.3), and intermediate or advanced lifters
/// deload every 4–8 weeks (§3.5, [22]). Runs only on what the context provides (previous week, weeks since deload).
/// </summary>
internal sealed class VolumeRampCheck : IPlanCheck
{
    /// <summary>A week with at most 60% of the previous week's sets is a deload (§3.5: sets −40–50%).</summary>
    public const double DeloadVolumeFraction = 0.6;

    public IEnumerable<PlanFinding> Check(PlanReview review)
    {
        var current = PlanVolume.WeeklySets(review.Plan, review.Catalogue);
        var isDeload = false;
        if (review.Context.PreviousWeek is { } previousPlan)
        {
            var previous = PlanVolume.WeeklySets(previousPlan, review.Catalogue);
            isDeload = current.Values.Sum() <= previous.Values.Sum() * DeloadVolumeFraction;
            foreach (var (muscle, sets) in current.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                var before = previous.GetValueOrDefault(muscle);
                var allowed = Math.Max(before * (1 + TrainingLimits.MaxVolumeRampFraction), before + TrainingLimits.MaxVolumeRampSets);
                if (sets > allowed + 1e-9)
                    yield return PlanFinding.Warning("V7.volume_ramp", $"{muscle} goes from {before:0.#} to {sets:0.#} weekly sets; raise it by at most {allowed - before:0.#} sets this week.");
            }
        }
        if (review.Context is { WeeksSinceDeload: >= TrainingLimits.DeloadOverdueWeeks, Level: "intermediate" or "advanced" } && !isDeload)
        {
            yield return PlanFinding.Warning(
                "V7.deload_overdue",
                $"You have trained {review.Context.WeeksSinceDeload} weeks without a lighter week; plan a deload (about half the sets, 2 more reps in reserve).");
        }
    }
}
