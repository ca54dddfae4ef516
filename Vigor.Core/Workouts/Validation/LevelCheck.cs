namespace Vigor.Core.Workouts.Validation;

/// <summary>V10: no expert or Olympic lifts for beginners; multi-joint exercises before single-joint ones within a day (ACSM 2009 [11], free-exercise-db levels [4]).</summary>
internal sealed class LevelCheck : IPlanCheck
{
    public IEnumerable<PlanFinding> Check(PlanReview review)
    {
        var userRank = Exercises.ExerciseVocabulary.LevelRank(review.Guideline.Level);
        foreach (var (entry, exercise) in review.Known)
        {
            if (review.Guideline.Level == "beginner" && (exercise.Level == "expert" || exercise.IsOlympic))
                yield return PlanFinding.Error("V10.too_advanced_for_level", $"{entry.Label} is an {(exercise.IsOlympic ? "Olympic lift" : "expert exercise")}, not suitable for beginners.", entry.Path);
            else if (exercise.LevelRank > userRank)
                yield return PlanFinding.Warning("V10.above_level", $"{entry.Label} is rated {exercise.Level}, above your {review.Guideline.Level} level.", entry.Path);
        }
        for (var d = 0; d < review.Plan.Days.Count; d++)
        {
            // Core, cardio and mobility work conventionally close (or open) a session; order rules apply to the lifts.
            var lifts = review.Known.Where(k => k.Entry.Day == d && k.Exercise.IsResistance && k.Exercise.Pattern != "core").ToList();
            var firstIsolation = lifts.FindIndex(k => !k.Exercise.IsCompound);
            var lastCompound = lifts.FindLastIndex(k => k.Exercise.IsCompound);
            if (firstIsolation >= 0 && firstIsolation < lastCompound)
            {
                var (entry, exercise) = lifts[firstIsolation];
                yield return PlanFinding.Warning("V10.isolation_before_compound", $"{exercise.Name} comes before {lifts[lastCompound].Exercise.Name} on {review.DayName(d)}; do multi-joint lifts first.", entry.Path);
            }
        }
    }
}
