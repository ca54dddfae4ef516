namespace Vigor.Core.Workouts.Validation;

/// <summary>V1: sessions per week fit the level (ACSM 2009 [11]: beginners ≤3 full-body, intermediate ≤5, advanced ≤6), the user's availability, and leave a rest day.</summary>
internal sealed class FrequencyCheck : IPlanCheck
{
    public IEnumerable<PlanFinding> Check(PlanReview review)
    {
        var days = review.Plan.Days.Count;
        var guideline = review.Guideline;
        if (days > TrainingLimits.MaxDaysPerWeek)
            yield return PlanFinding.Error("V1.no_rest_day", $"The plan trains {days} days a week; keep at least one rest day (at most {TrainingLimits.MaxDaysPerWeek}).", "days");
        if (days > guideline.MaxDaysPerWeek)
        {
            yield return PlanFinding.Error(
                "V1.too_many_days_for_level",
                $"The plan trains {days} days a week; {guideline.Level} lifters should train at most {guideline.MaxDaysPerWeek}.",
                "days");
        }
        if (days > review.Context.DaysPerWeek)
            yield return PlanFinding.Error("V1.exceeds_availability", $"The plan trains {days} days a week but you are available {review.Context.DaysPerWeek}.", "days");
        if (guideline.Level != "beginner")
            yield break;
        // ACSM 2009: novices train the whole body each session rather than splitting it.
        for (var d = 0; d < days; d++)
        {
            var exercises = review.Known.Where(k => k.Entry.Day == d).Select(k => k.Exercise).ToList();
            if (exercises.Any(e => e.IsResistance) && !(exercises.Any(e => e.IsLowerBody) && exercises.Any(e => e.IsPush || e.IsPull)))
                yield return PlanFinding.Warning("V1.beginner_not_full_body", $"{review.DayName(d)} is not full body; beginners do best training upper and lower body every session.", PlanPath.Day(d));
        }
    }
}
