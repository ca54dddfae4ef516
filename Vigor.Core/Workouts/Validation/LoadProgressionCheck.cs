using Vigor.Core.Exercises;

namespace Vigor.Core.Workouts.Validation;

/// <summary>
/// V6: a load increase is at most 10% per session (or one smallest equipment step, when that is larger) and is earned:
/// the ACSM condition (1–2 reps above the target at the current load [11]) or the NSCA 2-for-2 rule [17] (§3.3).
/// Runs only when the context carries load steps.
/// </summary>
internal sealed class LoadProgressionCheck : IPlanCheck
{
    public IEnumerable<PlanFinding> Check(PlanReview review)
    {
        foreach (var step in review.Context.LoadSteps ?? [])
        {
            if (review.Known.FirstOrDefault(k => k.Exercise.Id == step.ExerciseId) is not ({ } entry, { } exercise))
                continue;
            var increase = step.ProposedKg - step.CurrentKg;
            if (increase <= 0)
                continue;
            var allowed = Math.Max(step.CurrentKg * TrainingLimits.MaxLoadJumpFraction, SmallestIncrementKg(exercise));
            if (step.CurrentKg > 0 && increase > allowed + 1e-9)
            {
                yield return PlanFinding.Error(
                    "V6.load_jump_too_large",
                    $"{exercise.Name}: going from {step.CurrentKg:0.##} kg to {step.ProposedKg:0.##} kg is a {increase / step.CurrentKg:P0} jump; add at most {allowed:0.##} kg per session.",
                    entry.Path);
            }
            if (!IsEarned(step.RecentLastSetReps, entry.Item.RepsMax))
            {
                yield return PlanFinding.Error(
                    "V6.progression_not_earned",
                    $"{exercise.Name}: add load only after beating the top of the rep range ({entry.Item.RepsMax}) by at least one rep at the current weight.",
                    entry.Path);
            }
        }
    }

    /// <summary>ACSM: last session beat the target by ≥1 rep; NSCA 2-for-2: the last two beat it by ≥2 (which implies ACSM's).</summary>
    public static bool IsEarned(IReadOnlyList<int> recentLastSetReps, int targetReps)
    {
        if (recentLastSetReps.Count == 0)
            return false;
        var acsm = recentLastSetReps[^1] >= targetReps + 1;
        var twoForTwo = recentLastSetReps.Count >= 2 && recentLastSetReps.TakeLast(2).All(r => r >= targetReps + 2);
        return acsm || twoForTwo;
    }

    /// <summary>Typical smallest jumps (§3.3: 1–2.5 kg upper, 2.5–5 kg lower): plates 2×1.25 kg, dumbbells 2.5 kg, kettlebells 4 kg, stacks 5 kg.</summary>
    public static double SmallestIncrementKg(Exercise exercise) =>
        exercise.Equipment.Select(e => e switch
        {
            "barbell" => 2.5,
            "dumbbells" => 2.5,
            "kettlebells" => 4.0,
            "cable" or "machine" => 5.0,
            _ => 0.0,
        }).DefaultIfEmpty(0).Max();
}
