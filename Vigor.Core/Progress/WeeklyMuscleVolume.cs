using Vigor.Core.Exercises;
using Vigor.Core.Workouts;

namespace Vigor.Core.Progress;

/// <summary>
/// Logged sets per muscle per ISO week, with fractional credit (primary 1, secondary 0.5; Pelland 2024, §3.2), against the
/// level's weekly band (6–10 / 10–16 / 12–20). Cardio and mobility work and unknown exercises are not counted.
/// </summary>
internal static class WeeklyMuscleVolume
{
    public static IReadOnlyList<WeekVolume> Compute(
        IEnumerable<LoggedSession> sessions, ExerciseCatalogue catalogue, string level, DateTimeOffset asOf, int weeks)
    {
        var band = LevelGuideline.For(level);
        var byWeek = sessions.Where(s => s.PerformedAt <= asOf).ToLookup(s => TrainingWeeks.WeekStart(s.PerformedAt));
        return TrainingWeeks.Window(asOf, weeks)
            .Select(week =>
            {
                var sets = SetsPerMuscle(byWeek[week], catalogue);
                var muscles = ExerciseVocabulary.Muscles
                    .Select(m => new MuscleVolume(m, sets.GetValueOrDefault(m), band.WeeklySetsMin, band.WeeklySetsMax, Status(sets.GetValueOrDefault(m), band)))
                    .ToList();
                return new WeekVolume(week, muscles);
            })
            .ToList();
    }

    public static Dictionary<string, double> SetsPerMuscle(IEnumerable<LoggedSession> sessions, ExerciseCatalogue catalogue)
    {
        var sets = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var logged in sessions.SelectMany(s => s.Exercises))
        {
            if (catalogue.Find(logged.ExerciseId) is not { IsResistance: true } exercise)
                continue;
            var count = logged.Sets.Count(s => s.Reps > 0 || s.DurationSeconds > 0);
            foreach (var muscle in exercise.PrimaryMuscles.Concat(exercise.SecondaryMuscles))
                sets[muscle] = sets.GetValueOrDefault(muscle) + count * exercise.SetCredit(muscle);
        }
        return sets;
    }

    private static string Status(double sets, LevelGuideline band) =>
        sets < band.WeeklySetsMin ? "below" : sets > band.WeeklySetsMax ? "above" : "within";
}
