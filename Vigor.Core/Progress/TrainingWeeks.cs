namespace Vigor.Core.Progress;

/// <summary>ISO weeks (Monday start) and days in UTC; a week is named by its Monday, so year boundaries need no care.</summary>
internal static class TrainingWeeks
{
    public static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    public static DateOnly WeekStart(DateTimeOffset at) => WeekStart(Day(at));

    public static DateOnly WeekStart(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    /// <summary>Midnight UTC at the start of <paramref name="day"/>.</summary>
    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>The <paramref name="weeks"/> week starts ending with the week of <paramref name="asOf"/>, oldest first.</summary>
    public static IReadOnlyList<DateOnly> Window(DateTimeOffset asOf, int weeks)
    {
        var current = WeekStart(asOf);
        return Enumerable.Range(0, Math.Max(weeks, 1)).Select(i => current.AddDays(-7 * (weeks - 1 - i))).ToList();
    }
}
