namespace Vigor.Core.Workouts.Validation;

/// <summary>V12: push:pull sets between 0.67 and 1.5, and legs at least 25% of sets unless the goal or focus says otherwise (§3.9, practical).</summary>
internal sealed class BalanceCheck : IPlanCheck
{
    public IEnumerable<PlanFinding> Check(PlanReview review)
    {
        var lifts = review.Known.Where(k => k.Exercise.IsResistance).ToList();
        var push = lifts.Where(k => k.Exercise.IsPush).Sum(k => k.Entry.Item.Sets);
        var pull = lifts.Where(k => k.Exercise.IsPull).Sum(k => k.Entry.Item.Sets);
        var legs = lifts.Where(k => k.Exercise.IsLowerBody).Sum(k => k.Entry.Item.Sets);
        var total = lifts.Sum(k => k.Entry.Item.Sets);
        if (push + pull > 0)
        {
            var ratio = pull == 0 ? double.PositiveInfinity : (double)push / pull;
            if (ratio is < TrainingLimits.MinPushPullRatio or > TrainingLimits.MaxPushPullRatio)
                yield return PlanFinding.Warning("V12.push_pull_imbalance", $"The plan has {push} pushing and {pull} pulling sets a week; keep the ratio between 2:3 and 3:2 to protect your shoulders.");
        }
        var legsWaived = review.Plan.Goal == "mobility" || review.Context.Focus == "upper_body";
        if (total > 0 && !legsWaived && legs < total * TrainingLimits.MinLegsShare)
            yield return PlanFinding.Warning("V12.legs_underrepresented", $"Only {legs} of {total} weekly sets train the legs; aim for at least a quarter.");
    }
}
