namespace Vigor.Core.Workouts.Validation;

/// <summary>
/// V11: nothing loads a reported injured area; a flagged pre-participation screen (ACSM 2015 [20], AHA [28]) allows
/// low-intensity work only until a professional clears the user.
/// </summary>
internal sealed class MedicalCheck : IPlanCheck
{
    /// <summary>Low intensity: ≥3 RIR (RPE ≤7) and ≥10 reps, i.e. about a 13-RM load, ≤~65% 1RM (§3.1 general health 40–70%).</summary>
    public const int LowIntensityMinRir = 3;
    public const int LowIntensityMinReps = 10;

    public IEnumerable<PlanFinding> Check(PlanReview review)
    {
        var injured = review.Context.InjuredAreas;
        foreach (var (entry, exercise) in review.Known)
        {
            var areas = exercise.LoadsAreas.Where(injured.Contains).ToList();
            if (areas.Count > 0)
                yield return PlanFinding.Error("V11.loads_injured_area", $"{entry.Label} loads your injured {string.Join(" and ", areas)}.", entry.Path);
            if (review.Context.ScreeningFlagged && !IsLowIntensity(entry.Item, exercise))
            {
                yield return PlanFinding.Error(
                    "V11.screening_requires_low_intensity",
                    $"{entry.Label}: your health screening suggests checking with a professional first; until then keep to beginner exercises at {LowIntensityMinReps}+ reps with {LowIntensityMinRir}+ reps in reserve.",
                    entry.Path);
            }
        }
    }

    public static bool IsLowIntensity(PlanExercise item, Exercises.Exercise exercise) =>
        exercise.Level == "beginner" && !exercise.IsOlympic && !exercise.IsBarbellPowerLift && item.TargetRir >= LowIntensityMinRir
        && (exercise.IsTimed || !exercise.IsResistance || item.RepsMin >= LowIntensityMinReps);
}
