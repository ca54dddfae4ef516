namespace Vigor.Core.Workouts.Validation;

/// <summary>V5: at most ~25 working sets a session (≈60–75 min) and 6 sets per exercise (§3.9, practical); the day fits the user's session length.</summary>
internal sealed class SessionSizeCheck : IPlanCheck
{
    public IEnumerable<PlanFinding> Check(PlanReview review)
    {
        foreach (var (entry, _) in review.Known.Where(k => k.Entry.Item.Sets > TrainingLimits.MaxSetsPerExercise))
            yield return PlanFinding.Error("V5.too_many_sets_per_exercise", $"{entry.Label} has {entry.Item.Sets} sets; use at most {TrainingLimits.MaxSetsPerExercise}.", entry.Path);
        for (var d = 0; d < review.Plan.Days.Count; d++)
        {
            var day = review.Plan.Days[d];
            var workingSets = review.Known.Where(k => k.Entry.Day == d && k.Exercise.IsResistance).Sum(k => k.Entry.Item.Sets);
            if (workingSets > TrainingLimits.MaxSetsPerSession)
                yield return PlanFinding.Error("V5.too_many_sets", $"{review.DayName(d)} has {workingSets} working sets; keep a session to {TrainingLimits.MaxSetsPerSession} or fewer.", PlanPath.Day(d));
            var minutes = SessionTime.Minutes(day, review.Catalogue);
            if (minutes > review.Context.SessionMinutes)
                yield return PlanFinding.Warning("V5.session_too_long", $"{review.DayName(d)} takes about {Math.Ceiling(minutes)} minutes, more than your {review.Context.SessionMinutes}.", PlanPath.Day(d));
        }
    }
}
