namespace Vigor.Core.Progress;

/// <summary>
/// Training streaks in UTC. Weekly: consecutive ISO weeks with at least one session; the current streak includes this
/// week when it already has a session, otherwise it ends with last week (a week in progress does not break it). Daily
/// works the same way with days.
/// </summary>
internal static class Streaks
{
    public static StreakSummary Compute(IEnumerable<DateTimeOffset> performedAt, DateTimeOffset asOf) =>
        FromDays(performedAt.Where(t => t <= asOf).Select(TrainingWeeks.Day).ToHashSet(), TrainingWeeks.Day(asOf));

    /// <summary>From the distinct training days up to <paramref name="today"/>.</summary>
    public static StreakSummary FromDays(HashSet<DateOnly> days, DateOnly today)
    {
        var weeks = days.Select(TrainingWeeks.WeekStart).ToHashSet();
        return new StreakSummary(
            Current(weeks, TrainingWeeks.WeekStart(today), 7),
            Longest(weeks, 7),
            Current(days, today, 1),
            Longest(days, 1));
    }

    private static int Current(HashSet<DateOnly> marks, DateOnly now, int step)
    {
        var cursor = marks.Contains(now) ? now : now.AddDays(-step);
        var count = 0;
        while (marks.Contains(cursor))
        {
            count++;
            cursor = cursor.AddDays(-step);
        }
        return count;
    }

    private static int Longest(HashSet<DateOnly> marks, int step)
    {
        var longest = 0;
        foreach (var start in marks.Where(m => !marks.Contains(m.AddDays(-step))))
        {
            var length = 1;
            while (marks.Contains(start.AddDays(step * length)))
                length++;
            longest = Math.Max(longest, length);
        }
        return longest;
    }
}
