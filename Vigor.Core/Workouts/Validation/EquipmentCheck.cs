namespace Vigor.Core.Workouts.Validation;

/// <summary>V9: every exercise uses only equipment in the user's profile (product.md); bodyweight is always available.</summary>
internal sealed class EquipmentCheck : IPlanCheck
{
    public IEnumerable<PlanFinding> Check(PlanReview review)
    {
        var available = review.Context.Equipment.ToHashSet(StringComparer.Ordinal);
        foreach (var (entry, exercise) in review.Known.Where(k => !k.Exercise.IsUsableWith(available)))
        {
            var missing = exercise.Equipment.Where(e => e != "bodyweight" && !available.Contains(e));
            yield return PlanFinding.Error("V9.equipment_unavailable", $"{entry.Label} needs {string.Join(" and ", missing)}, which is not in your equipment.", entry.Path);
        }
    }
}
