namespace Vigor.Core.Workouts.Validation;

/// <summary>
/// V8: RIR targets (Zourdos 2016, Helms 2016 [19]): beginners keep ≥2 reps in reserve; no failure on barbell squats,
/// deadlifts, bench presses or Olympic lifts; failure belongs on isolation or machine work. Minors never go near maximal
/// effort (product.md: no max testing).
/// </summary>
internal sealed class EffortCheck : IPlanCheck
{
    public const int MinorMinRir = 2;

    /// <summary>Sets below 5 reps are max-strength work (≥~87% 1RM); minors stay above it.</summary>
    public const int MinorMinReps = 5;

    public IEnumerable<PlanFinding> Check(PlanReview review)
    {
        var minRir = review.Guideline.MinTargetRir;
        foreach (var (entry, exercise) in review.Known.Where(k => k.Exercise.IsResistance))
        {
            var item = entry.Item;
            if (item.TargetRir < minRir)
                yield return PlanFinding.Error("V8.rir_below_level_minimum", $"{entry.Label}: {review.Guideline.Level} lifters should keep at least {minRir} reps in reserve, not {item.TargetRir}.", entry.Path);
            if (item.TargetRir == 0 && (exercise.IsBarbellPowerLift || exercise.IsOlympic))
                yield return PlanFinding.Error("V8.failure_on_barbell_lift", $"{entry.Label}: never take barbell squats, deadlifts, bench presses or Olympic lifts to failure.", entry.Path);
            else if (item.TargetRir == 0 && exercise.IsCompound && !exercise.Equipment.Contains("machine"))
                yield return PlanFinding.Warning("V8.failure_on_compound", $"{entry.Label}: keep training to failure for isolation or machine exercises.", entry.Path);
            if (review.Context.IsMinor && (item.TargetRir < MinorMinRir || (!exercise.IsTimed && item.RepsMin < MinorMinReps)))
                yield return PlanFinding.Error("V8.minor_max_effort", $"{entry.Label}: under-18s should stay at {MinorMinReps}+ reps with {MinorMinRir}+ reps in reserve (no maximal efforts).", entry.Path);
        }
    }
}
