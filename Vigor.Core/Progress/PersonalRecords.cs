namespace Vigor.Core.Progress;

/// <summary>
/// Personal bests per exercise, the three Hevy tracks (fitness-science §4): heaviest weight, best e1RM and best set volume
/// (weight × reps). A session sets a record only by beating an earlier best: a first performance is a baseline, not a PR.
/// </summary>
internal static class PersonalRecords
{
    public const string HeaviestWeight = "heaviest_weight";
    public const string BestE1rm = "best_e1rm";
    public const string BestSetVolume = "best_set_volume";

    /// <summary>Differences below 1 g are rounding, not records.</summary>
    private const double Epsilon = 0.001;

    public static IReadOnlyList<PersonalBest> Bests(IEnumerable<LoggedSession> sessions) =>
        sessions.SelectMany(s => s.Exercises)
            .GroupBy(e => e.ExerciseId, StringComparer.Ordinal)
            .Select(g => Best(g.Key, g.SelectMany(e => e.Sets)))
            .Where(b => b.HeaviestKg is not null)
            .OrderBy(b => b.ExerciseId, StringComparer.Ordinal)
            .ToList();

    /// <summary>The records <paramref name="session"/> sets against <paramref name="history"/> (earlier sessions, without it).</summary>
    public static IReadOnlyList<PersonalRecord> NewRecords(IEnumerable<LoggedSession> history, LoggedSession session)
    {
        var before = Bests(history).ToDictionary(b => b.ExerciseId, StringComparer.Ordinal);
        var records = new List<PersonalRecord>();
        foreach (var now in Bests([session]))
        {
            if (!before.TryGetValue(now.ExerciseId, out var previous))
                continue;
            Add(records, now.ExerciseId, HeaviestWeight, now.HeaviestKg, previous.HeaviestKg);
            Add(records, now.ExerciseId, BestE1rm, now.BestE1rmKg, previous.BestE1rmKg);
            Add(records, now.ExerciseId, BestSetVolume, now.BestSetVolumeKg, previous.BestSetVolumeKg);
        }
        return records;
    }

    private static PersonalBest Best(string exerciseId, IEnumerable<LoggedSet> sets)
    {
        var weighted = sets.Where(s => s.WeightKg > 0 && s.Reps > 0).ToList();
        if (weighted.Count == 0)
            return new PersonalBest(exerciseId, null, null, null);
        var e1rms = weighted.Select(OneRepMax.Estimate).OfType<E1rm>().Select(e => e.Kg).ToList();
        return new PersonalBest(
            exerciseId,
            weighted.Max(s => s.WeightKg!.Value),
            e1rms.Count > 0 ? e1rms.Max() : null,
            weighted.Max(s => s.WeightKg!.Value * s.Reps));
    }

    private static void Add(List<PersonalRecord> records, string exerciseId, string kind, double? now, double? previous)
    {
        if (now is { } value && previous is { } old && value > old + Epsilon)
            records.Add(new PersonalRecord(exerciseId, kind, value, old));
    }
}
