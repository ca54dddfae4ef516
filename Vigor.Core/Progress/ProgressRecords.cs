namespace Vigor.Core.Progress;

/// <summary>One performed set. Reps count repetitions; timed sets carry DurationSeconds. Weights are kilograms.</summary>
internal sealed record LoggedSet(int Reps, double? WeightKg = null, int? DurationSeconds = null, int? Rir = null);

internal sealed record LoggedExercise(string ExerciseId, IReadOnlyList<LoggedSet> Sets);

/// <summary>A performed session; PerformedAt is UTC (weeks and days are computed in UTC).</summary>
internal sealed record LoggedSession(DateTimeOffset PerformedAt, IReadOnlyList<LoggedExercise> Exercises);

/// <summary>Estimated one-repetition maximum by both formulas; <see cref="Kg"/> (Brzycki) is the one Vigor ranks by.</summary>
internal sealed record E1rm(double EpleyKg, double BrzyckiKg)
{
    public double Kg => BrzyckiKg;
}

internal sealed record PersonalBest(string ExerciseId, double? HeaviestKg, double? BestE1rmKg, double? BestSetVolumeKg);

/// <summary>A record a session set. Kind: heaviest_weight, best_e1rm or best_set_volume.</summary>
internal sealed record PersonalRecord(string ExerciseId, string Kind, double Value, double Previous);

internal sealed record StreakSummary(int CurrentWeeks, int LongestWeeks, int CurrentDays, int LongestDays);

internal sealed record WeekCount(DateOnly WeekStart, int Sessions);

/// <summary>Counted sets (with reps or seconds) of one exercise.</summary>
internal sealed record ExerciseSets(string ExerciseId, int Sets);

/// <summary>Status: below, within or above the level's weekly band.</summary>
internal sealed record MuscleVolume(string Muscle, double Sets, double TargetMin, double TargetMax, string Status);

internal sealed record WeekVolume(DateOnly WeekStart, IReadOnlyList<MuscleVolume> Muscles);

/// <summary>The best set of one session for an exercise; Rir is that set's logged RIR.</summary>
internal sealed record E1rmPoint(DateTimeOffset PerformedAt, double E1rmKg, double EpleyKg, int? Rir);

internal sealed record ExerciseTrend(string ExerciseId, IReadOnlyList<E1rmPoint> Points, double? ChangePercent);

/// <summary>Reason: "sessions" (no gain over the last 3 sessions) or "weeks" (no gain for 3 weeks).</summary>
internal sealed record Plateau(string ExerciseId, string Reason, double BestE1rmKg, DateTimeOffset BestAt);

/// <summary>Reason: none, scheduled (4–6 weeks of continuous training) or reactive (2 sessions below target).</summary>
internal sealed record DeloadSuggestion(bool Suggested, string Reason, int ContinuousWeeks, string Message);

internal sealed record ProgressSummary(
    StreakSummary Streak,
    IReadOnlyList<WeekCount> SessionsPerWeek,
    IReadOnlyList<WeekVolume> WeeklySets,
    IReadOnlyList<PersonalBest> PersonalRecords,
    IReadOnlyList<ExerciseTrend> Trends,
    IReadOnlyList<Plateau> Plateaus,
    DeloadSuggestion Deload);
