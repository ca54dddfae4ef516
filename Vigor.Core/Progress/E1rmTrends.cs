namespace Vigor.Core.Progress;

/// <summary>Per exercise, the best e1RM of each session in time order, and the change from the first point to the last.</summary>
internal static class E1rmTrends
{
    public static IReadOnlyList<ExerciseTrend> Compute(IEnumerable<LoggedSession> sessions)
    {
        var points = new Dictionary<string, List<E1rmPoint>>(StringComparer.Ordinal);
        foreach (var session in sessions.OrderBy(s => s.PerformedAt))
        {
            foreach (var group in session.Exercises.GroupBy(e => e.ExerciseId, StringComparer.Ordinal))
            {
                var best = group.SelectMany(e => e.Sets)
                    .Select(s => (Set: s, E1rm: OneRepMax.Estimate(s)))
                    .Where(x => x.E1rm is not null)
                    .DefaultIfEmpty() // MaxBy throws on an empty sequence of tuples: bodyweight and timed work give no estimate
                    .MaxBy(x => x.E1rm?.Kg);
                if (best.E1rm is null)
                    continue;
                if (!points.TryGetValue(group.Key, out var list))
                    points[group.Key] = list = [];
                list.Add(new E1rmPoint(session.PerformedAt, best.E1rm.Kg, best.E1rm.EpleyKg, best.Set.Rir));
            }
        }
        return points
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => Of(kv.Key, kv.Value))
            .ToList();
    }

    public static ExerciseTrend Of(string exerciseId, IReadOnlyList<E1rmPoint> points) => new(exerciseId, points, Change(points));

    /// <summary>The trends cut to the points performed at or after <paramref name="from"/>; exercises without one are left out.</summary>
    public static IReadOnlyList<ExerciseTrend> Since(IEnumerable<ExerciseTrend> trends, DateTimeOffset from) =>
        trends.Select(t => (t.ExerciseId, Points: t.Points.Where(p => p.PerformedAt >= from).ToList()))
            .Where(t => t.Points.Count > 0)
            .Select(t => Of(t.ExerciseId, t.Points))
            .ToList();

    private static double? Change(IReadOnlyList<E1rmPoint> points) =>
        points.Count < 2 ? null : Math.Round((points[^1].E1rmKg / points[0].E1rmKg - 1) * 100, 1);
}
