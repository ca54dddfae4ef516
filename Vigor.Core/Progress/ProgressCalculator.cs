using Vigor.Core.Exercises;

namespace Vigor.Core.Progress;

/// <summary>
/// Everything <c>GET progress?weeks</c> shows, computed from the caller's logged sessions; pure and deterministic. The
/// service answers the same from SQL aggregates (ProgressService); this is the reference the tests hold it to. Trends
/// show the points of the requested weeks; plateaus, records and streaks look at the whole history.
/// </summary>
internal sealed class ProgressCalculator(ExerciseCatalogue catalogue)
{
    public const int DefaultWeeks = 8;
    public const int MaxWeeks = 104;

    public ProgressSummary Summarize(
        IReadOnlyList<LoggedSession> sessions, string level, DateTimeOffset asOf, int weeks = DefaultWeeks,
        IReadOnlyDictionary<string, int>? targetRepsMin = null)
    {
        weeks = Math.Clamp(weeks, 1, MaxWeeks);
        var past = sessions.Where(s => s.PerformedAt <= asOf).ToList();
        var trends = E1rmTrends.Compute(past);
        return new ProgressSummary(
            Streaks.Compute(past.Select(s => s.PerformedAt), asOf),
            SessionsPerWeek(past, asOf, weeks),
            WeeklyMuscleVolume.Compute(past, catalogue, level, asOf, weeks),
            PersonalRecords.Bests(past),
            E1rmTrends.Since(trends, TrainingWeeks.StartOf(TrainingWeeks.Window(asOf, weeks)[0])),
            PlateauDetector.Detect(trends),
            DeloadAdvisor.Suggest(past, level, asOf, targetRepsMin));
    }

    public static IReadOnlyList<WeekCount> SessionsPerWeek(IEnumerable<LoggedSession> sessions, DateTimeOffset asOf, int weeks) =>
        SessionsPerWeek(
            sessions.Where(s => s.PerformedAt <= asOf).GroupBy(s => TrainingWeeks.WeekStart(s.PerformedAt)).ToDictionary(g => g.Key, g => g.Count()),
            asOf, weeks);

    public static IReadOnlyList<WeekCount> SessionsPerWeek(IReadOnlyDictionary<DateOnly, int> sessionsByWeek, DateTimeOffset asOf, int weeks) =>
        TrainingWeeks.Window(asOf, weeks).Select(w => new WeekCount(w, sessionsByWeek.GetValueOrDefault(w))).ToList();
}
