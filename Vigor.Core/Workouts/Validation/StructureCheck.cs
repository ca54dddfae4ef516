using Vigor.Core.Profiles;

namespace Vigor.Core.Workouts.Validation;

/// <summary>V0: the plan is well formed (known goal and exercises, sane numbers); the other checks assume it.</summary>
internal sealed class StructureCheck : IPlanCheck
{
    public const int MaxSets = 10;
    public const int MaxReps = 100;
    public const int MaxTimedSeconds = 3600;
    public const int MaxRir = 10;
    public const int MaxRestSeconds = 600;

    public IEnumerable<PlanFinding> Check(PlanReview review)
    {
        if (!ProfileVocabulary.Goals.Contains(review.Plan.Goal))
            yield return PlanFinding.Error("V0.unknown_goal", $"Goal '{review.Plan.Goal}' is not one of: {string.Join(", ", ProfileVocabulary.Goals)}.", "goal");
        if (review.Plan.Days.Count == 0)
            yield return PlanFinding.Error("V0.empty_plan", "The plan has no training days.", "days");
        for (var d = 0; d < review.Plan.Days.Count; d++)
        {
            if (review.Plan.Days[d].Exercises.Count == 0)
                yield return PlanFinding.Error("V0.empty_day", $"{review.DayName(d)} has no exercises.", PlanPath.Day(d));
        }
        foreach (var entry in review.Entries)
        {
            var item = entry.Item;
            if (entry.Exercise is null)
            {
                yield return PlanFinding.Error("V0.unknown_exercise", $"'{item.ExerciseId}' on day {entry.Day + 1} is not in the exercise catalogue.", entry.Path);
                continue;
            }
            if (item.Sets is < 1 or > MaxSets)
                yield return PlanFinding.Error("V0.invalid_sets", $"{entry.Label}: sets must be between 1 and {MaxSets}.", entry.Path);
            var maxReps = entry.Exercise.IsTimed ? MaxTimedSeconds : MaxReps;
            if (item.RepsMin < 1 || item.RepsMax < item.RepsMin || item.RepsMax > maxReps)
                yield return PlanFinding.Error("V0.invalid_reps", $"{entry.Label}: the rep range {item.RepsMin}–{item.RepsMax} must satisfy 1 ≤ min ≤ max ≤ {maxReps}.", entry.Path);
            if (item.TargetRir is < 0 or > MaxRir)
                yield return PlanFinding.Error("V0.invalid_rir", $"{entry.Label}: target RIR must be between 0 and {MaxRir}.", entry.Path);
            if (item.RestSeconds is < 0 or > MaxRestSeconds)
                yield return PlanFinding.Error("V0.invalid_rest", $"{entry.Label}: rest must be between 0 and {MaxRestSeconds} seconds.", entry.Path);
        }
    }
}
