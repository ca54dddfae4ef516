namespace Vigor.Core.Workouts.Validation;

/// <summary>V3: the same muscle is not trained hard on consecutive days; ≥48 h between hard sessions (ACSM 2011 [12]). Days are placed by <see cref="WeekSchedule"/>.</summary>
internal sealed class RecoveryCheck : IPlanCheck
{
    public IEnumerable<PlanFinding> Check(PlanReview review) =>
        PlanVolume.BackToBackHardDays(review.Plan, review.Catalogue).Select(c => PlanFinding.Error(
            "V3.consecutive_hard_days",
            $"{c.Muscle} is trained hard on {review.DayName(c.Earlier)} and again the next day on {review.DayName(c.Later)}; allow 48 hours between hard sessions.",
            PlanPath.Day(c.Later)));
}
