using System.Globalization;

namespace Vigor.Core.Workouts.Validation;

/// <summary>V2: weekly sets per muscle (secondary = 0.5) within the level band of §3.2; flag above 20, reject above 30 ([13][14]).</summary>
internal sealed class VolumeCheck : IPlanCheck
{
    public IEnumerable<PlanFinding> Check(PlanReview review)
    {
        var sets = PlanVolume.WeeklySets(review.Plan, review.Catalogue);
        var band = review.Guideline;
        foreach (var (muscle, count) in sets.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var text = Format(count);
            if (count > TrainingLimits.WeeklySetsMaximum)
                yield return PlanFinding.Error("V2.volume_excessive", $"{muscle} gets {text} sets a week; more than {TrainingLimits.WeeklySetsMaximum} is too many to recover from.");
            else if (count > TrainingLimits.WeeklySetsWarning && count > band.WeeklySetsMax)
                yield return PlanFinding.Warning("V2.volume_high", $"{muscle} gets {text} sets a week; above {TrainingLimits.WeeklySetsWarning} brings little extra gain.");
            else if (count > band.WeeklySetsMax)
                yield return PlanFinding.Warning("V2.volume_above_band", $"{muscle} gets {text} sets a week, above the {band.Level} range of {band.WeeklySetsMin}–{band.WeeklySetsMax}.");
        }
        // Below-band volume only matters when the plan is about building muscle or strength.
        if (review.Plan.Goal is "mobility" or "endurance")
            yield break;
        foreach (var muscle in TrainingLimits.MajorMuscles)
        {
            var count = sets.GetValueOrDefault(muscle);
            if (count < band.WeeklySetsMin)
                yield return PlanFinding.Warning("V2.volume_below_band", $"{muscle} gets {Format(count)} sets a week, below the {band.Level} range of {band.WeeklySetsMin}–{band.WeeklySetsMax}.");
        }
    }

    private static string Format(double sets) => sets.ToString("0.#", CultureInfo.InvariantCulture);
}
