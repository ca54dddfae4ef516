namespace Vigor.Core.Progress;

/// <summary>
/// Deload suggestions (fitness-science §3.5): scheduled after 4–6 weeks of continuous training for intermediate and
/// advanced lifters (survey: every 5.6 ± 2.3 weeks), reactive after 2 consecutive sessions below target for anyone.
/// </summary>
internal static class DeloadAdvisor
{
    public const int ScheduledAfterWeeks = 4;
    public const int BelowTargetSessions = 2;

    /// <summary>A week at ≤60% of the previous week's sets was itself a deload (§3.5: sets −40–50%) and restarts the count.</summary>
    public const double DeloadWeekFraction = 0.6;

    /// <param name="targetRepsMin">The plan's minimum reps per exercise id; a session is below target when at least half of its targeted exercises miss it on their best set.</param>
    public static DeloadSuggestion Suggest(
        IReadOnlyList<LoggedSession> sessions, string level, DateTimeOffset asOf, IReadOnlyDictionary<string, int>? targetRepsMin = null)
    {
        var past = sessions.Where(s => s.PerformedAt <= asOf).OrderBy(s => s.PerformedAt).ToList();
        return Suggest(past.TakeLast(BelowTargetSessions).ToList(), ContinuousWeeks(past, asOf), level, targetRepsMin);
    }

    /// <param name="latest">The last sessions up to now, oldest first (the last <see cref="BelowTargetSessions"/> are looked at).</param>
    /// <param name="weeks">The <see cref="ContinuousWeeks(IReadOnlyDictionary{DateOnly, int}, DateTimeOffset)"/> up to now.</param>
    public static DeloadSuggestion Suggest(
        IReadOnlyList<LoggedSession> latest, int weeks, string level, IReadOnlyDictionary<string, int>? targetRepsMin)
    {
        if (targetRepsMin is { Count: > 0 } targets && latest.Count >= BelowTargetSessions
            && latest.TakeLast(BelowTargetSessions).All(s => IsBelowTarget(s, targets)))
        {
            return new DeloadSuggestion(true, "reactive", weeks,
                "Your last two sessions fell short of your targets. You might be tired, so here's a lighter week: keep your exercises, do about half the sets and stop 2 reps further from failure.");
        }
        if (level is "intermediate" or "advanced" && weeks >= ScheduledAfterWeeks)
        {
            return new DeloadSuggestion(true, "scheduled", weeks,
                $"You've trained {weeks} weeks in a row. Plan a lighter week within the next two: same exercises and days, about half the sets, 2 more reps in reserve.");
        }
        return new DeloadSuggestion(false, "none", weeks, "No deload needed yet.");
    }

    public static int ContinuousWeeks(IReadOnlyList<LoggedSession> sessions, DateTimeOffset asOf) =>
        ContinuousWeeks(
            sessions.GroupBy(s => TrainingWeeks.WeekStart(s.PerformedAt)).ToDictionary(g => g.Key, g => g.Sum(s => s.Exercises.Sum(e => e.Sets.Count))),
            asOf);

    /// <param name="setsByWeek">All logged sets (any exercise) per week start.</param>
    public static int ContinuousWeeks(IReadOnlyDictionary<DateOnly, int> setsByWeek, DateTimeOffset asOf)
    {
        var cursor = TrainingWeeks.WeekStart(asOf);
        if (!setsByWeek.ContainsKey(cursor))
            cursor = cursor.AddDays(-7);
        var count = 0;
        while (setsByWeek.TryGetValue(cursor, out var sets))
        {
            if (setsByWeek.TryGetValue(cursor.AddDays(-7), out var before) && sets <= before * DeloadWeekFraction)
                break;
            count++;
            cursor = cursor.AddDays(-7);
        }
        return count;
    }

    private static bool IsBelowTarget(LoggedSession session, IReadOnlyDictionary<string, int> targets)
    {
        var targeted = session.Exercises.Where(e => targets.ContainsKey(e.ExerciseId) && e.Sets.Count > 0).ToList();
        var missed = targeted.Count(e => e.Sets.Max(s => s.Reps) < targets[e.ExerciseId]);
        return targeted.Count > 0 && missed * 2 >= targeted.Count;
    }
}
