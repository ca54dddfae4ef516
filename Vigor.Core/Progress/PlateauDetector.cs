namespace Vigor.Core.Progress;

/// <summary>
/// Plateaus (fitness-science §3.3): the best-set e1RM has not beaten the earlier best over the last 3 sessions of an
/// exercise, or for 3 weeks, while effort stayed steady (RIR within ±1 of the best set's). A rising RIR means the lifter
/// is holding back rather than stuck. Sets without RIR are taken as steady.
/// </summary>
internal static class PlateauDetector
{
    public const int Sessions = 3;
    public static readonly TimeSpan Weeks = TimeSpan.FromDays(21);
    public const int RirTolerance = 1;

    public static IReadOnlyList<Plateau> Detect(IEnumerable<ExerciseTrend> trends) =>
        trends.Select(Detect).OfType<Plateau>().ToList();

    public static Plateau? Detect(ExerciseTrend trend)
    {
        var points = trend.Points;
        if (points.Count > Sessions && NoGain(points.Take(points.Count - Sessions).ToList(), points.TakeLast(Sessions).ToList()) is { } bySessions)
            return new Plateau(trend.ExerciseId, "sessions", bySessions.E1rmKg, bySessions.PerformedAt);
        var cutoff = points.Count > 0 ? points[^1].PerformedAt - Weeks : DateTimeOffset.MinValue;
        var before = points.Where(p => p.PerformedAt < cutoff).ToList();
        var window = points.Where(p => p.PerformedAt >= cutoff).ToList();
        if (window.Count >= 2 && before.Count > 0 && NoGain(before, window) is { } byWeeks)
            return new Plateau(trend.ExerciseId, "weeks", byWeeks.E1rmKg, byWeeks.PerformedAt);
        return null;
    }

    /// <summary>The earlier best when no point of the window beats it at steady effort; null otherwise.</summary>
    private static E1rmPoint? NoGain(List<E1rmPoint> before, List<E1rmPoint> window)
    {
        var best = before.MaxBy(p => p.E1rmKg)!;
        if (window.Any(p => p.E1rmKg > best.E1rmKg + 0.001))
            return null;
        var steady = best.Rir is not { } reference || window.All(p => p.Rir is not { } rir || Math.Abs(rir - reference) <= RirTolerance);
        return steady ? best : null;
    }
}
