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
        IEnumerable<LoggedSession> sessions, ExerciseCatalogue catalogue, string level, DateTimeOffset asOf, int weeks) =>
        FromCounts(
            sessions.Where(s => s.PerformedAt <= asOf)
                .SelectMany(s => s.Exercises.Select(e => (Week: TrainingWeeks.WeekStart(s.PerformedAt), Sets: Counted(e))))
                .ToLookup(x => x.Week, x => x.Sets),
            catalogue, level, asOf, weeks);

    /// <summary>From the counted sets per exercise of each week (<see cref="Counted"/>).</summary>
    public static IReadOnlyList<WeekVolume> FromCounts(
        ILookup<DateOnly, ExerciseSets> byWeek, ExerciseCatalogue catalogue, string level, DateTimeOffset asOf, int weeks)
    {
        var band = LevelGuideline.For(level);
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

    /// <summary>A set counts when it has reps or seconds.</summary>
    public static ExerciseSets Counted(LoggedExercise logged) =>
        new(logged.ExerciseId, logged.Sets.Count(s => s.Reps > 0 || s.DurationSeconds > 0));

    public static Dictionary<string, double> SetsPerMuscle(IEnumerable<LoggedSession> sessions, ExerciseCatalogue catalogue) =>
        SetsPerMuscle(sessions.SelectMany(s => s.Exercises).Select(Counted), catalogue);

    public static Dictionary<string, double> SetsPerMuscle(IEnumerable<ExerciseSets> counted, ExerciseCatalogue catalogue)
    {
        var sets = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (exerciseId, count) in counted)
        {
            if (catalogue.Find(exerciseId) is not { IsResistance: true } exercise)
                continue;
            foreach (var muscle in exercise.PrimaryMuscles.Concat(exercise.SecondaryMuscles))
                sets[muscle] = sets.GetValueOrDefault(muscle) + count * exercise.SetCredit(muscle);
        }
        return sets;
    }

    private static string Status(double sets, LevelGuideline band) =>
        sets < band.WeeklySetsMin ? "below" : sets > band.WeeklySetsMax ? "above" : "within";
}
