namespace Vigor.Core.Workouts.Validation;

/// <summary>One rule of the fitness-science §3.9 table. Checks are pure: the same plan and context give the same findings.</summary>
internal interface IPlanCheck
{
    IEnumerable<PlanFinding> Check(PlanReview review);
}
