using Vigor.Core.Progress;

namespace Vigor.Tests.Progress;

internal static class ProgressFixtures
{
    public static DateTimeOffset Utc(int year, int month, int day, int hour = 18) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);

    public static LoggedSession Session(DateTimeOffset at, params LoggedExercise[] exercises) => new(at, exercises);

    public static LoggedExercise Lift(string exerciseId, params LoggedSet[] sets) => new(exerciseId, sets);

    public static LoggedSet Set(int reps, double? kg = null, int? rir = null) => new(reps, kg, null, rir);

    /// <summary>One session with a single exercise of identical sets.</summary>
    public static LoggedSession Simple(DateTimeOffset at, string exerciseId, int sets, int reps, double kg, int? rir = null) =>
        Session(at, Lift(exerciseId, Enumerable.Range(0, sets).Select(_ => Set(reps, kg, rir)).ToArray()));
}
