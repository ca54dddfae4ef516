namespace Vigor.Core.Workouts;

/// <summary>
/// Where a plan's days fall in the week. Plans carry no weekdays, so days are spread as evenly as possible:
/// day i of n falls on day ⌊7i/n⌋ (3 days → Mon/Wed/Fri; 4 → Mon/Tue/Thu/Sat), repeating every week.
/// </summary>
internal static class WeekSchedule
{
    public static int[] Offsets(int dayCount) =>
        Enumerable.Range(0, dayCount).Select(i => i * 7 / dayCount).ToArray();

    /// <summary>Pairs of day indexes that fall on consecutive calendar days, including the wrap into next week.</summary>
    public static IEnumerable<(int Earlier, int Later)> ConsecutivePairs(int dayCount)
    {
        if (dayCount < 2)
            yield break;
        var offsets = Offsets(dayCount);
        for (var i = 0; i + 1 < dayCount; i++)
        {
            if (offsets[i + 1] - offsets[i] == 1)
                yield return (i, i + 1);
        }
        if (offsets[0] + 7 - offsets[^1] == 1)
            yield return (dayCount - 1, 0);
    }
}
