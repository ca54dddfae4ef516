namespace Vigor.Core.Workouts.Validation;

/// <summary>
/// V4: reps, intensity and rest agree with the plan's goal (§3.1, NSCA [10], ACSM [11]). Plans carry no loads, so
/// intensity is read from the repetition maximum a prescription implies: reps + RIR ≈ RM (§3.4, §3.6).
/// </summary>
internal sealed class GoalPrescriptionCheck : IPlanCheck
{
    public IEnumerable<PlanFinding> Check(PlanReview review)
    {
        var prescription = GoalPrescription.For(review.Plan.Goal, review.Context.Level);
        foreach (var (entry, exercise) in review.Known.Where(k => k.Exercise.IsResistance && !k.Exercise.IsTimed))
        {
            var item = entry.Item;
            var window = prescription.For(exercise.IsCompound);
            var repMax = item.RepsMin + item.TargetRir;
            if (repMax <= GoalPrescription.HeavyRepMax && item.RestSeconds < GoalPrescription.HeavyMinRestSeconds)
            {
                yield return PlanFinding.Error(
                    "V4.rest_too_short_for_heavy",
                    $"{entry.Label}: {item.RepsMin} reps at RIR {item.TargetRir} is near-maximal work and needs at least {GoalPrescription.HeavyMinRestSeconds} s rest, not {item.RestSeconds} s.",
                    entry.Path);
            }
            if (review.Context.Level == "beginner" && repMax < GoalPrescription.BeginnerLightestRepMax)
            {
                yield return PlanFinding.Warning(
                    "V4.load_heavy_for_level",
                    $"{entry.Label}: {item.RepsMin} reps at RIR {item.TargetRir} is heavier than the 8–12 RM beginners should use.",
                    entry.Path);
            }
            if (item.RepsMin < window.RepsLow || item.RepsMax > window.RepsHigh)
            {
                yield return PlanFinding.Warning(
                    "V4.reps_outside_goal",
                    $"{entry.Label}: {item.RepsMin}–{item.RepsMax} reps is outside the {window.RepsLow}–{window.RepsHigh} range for {review.Plan.Goal}.",
                    entry.Path);
            }
            if (item.RestSeconds < window.RestMin || item.RestSeconds > window.RestMax)
            {
                yield return PlanFinding.Warning(
                    "V4.rest_outside_goal",
                    $"{entry.Label}: {item.RestSeconds} s rest is outside the {window.RestMin}–{window.RestMax} s range for {review.Plan.Goal}.",
                    entry.Path);
            }
        }
    }
}
