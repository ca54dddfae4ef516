using Vigor.Core.Exercises;

namespace Vigor.Core.Workouts;

/// <summary>Fractional set counting over a plan: primary muscle 1 set, secondary 0.5 (Pelland 2024, fitness-science §3.2).</summary>
internal static class PlanVolume
{
    public static Dictionary<string, double> WeeklySets(Plan plan, ExerciseCatalogue catalogue) =>
        Sets(plan.Days.SelectMany(d => d.Exercises), catalogue, maxRir: null);

    /// <summary>Credited sets per muscle; with <paramref name="maxRir"/>, only sets at or below that RIR count.</summary>
    public static Dictionary<string, double> Sets(IEnumerable<PlanExercise> items, ExerciseCatalogue catalogue, int? maxRir)
    {
        var sets = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (catalogue.Find(item.ExerciseId) is not { IsResistance: true } exercise || item.TargetRir > (maxRir ?? int.MaxValue))
                continue;
            foreach (var muscle in exercise.PrimaryMuscles.Concat(exercise.SecondaryMuscles))
                sets[muscle] = sets.GetValueOrDefault(muscle) + item.Sets * exercise.SetCredit(muscle);
        }
        return sets;
    }

    /// <summary>V3's hard sessions: muscles given ≥4 credited sets at RIR ≤3 on days that fall on consecutive calendar days.</summary>
    public static IEnumerable<(int Earlier, int Later, string Muscle)> BackToBackHardDays(Plan plan, ExerciseCatalogue catalogue)
    {
        var hard = plan.Days
            .Select(d => Sets(d.Exercises, catalogue, TrainingLimits.HardSetMaxRir)
                .Where(kv => kv.Value >= TrainingLimits.HardSessionSets).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal))
            .ToList();
        foreach (var (earlier, later) in WeekSchedule.ConsecutivePairs(plan.Days.Count))
        {
            foreach (var muscle in ExerciseVocabulary.Muscles.Where(m => hard[earlier].Contains(m) && hard[later].Contains(m)))
                yield return (earlier, later, muscle);
        }
    }
}
