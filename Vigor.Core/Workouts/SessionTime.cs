using Vigor.Core.Exercises;

namespace Vigor.Core.Workouts;

/// <summary>Estimates how long a day takes: each set is its work time plus its rest, plus a short changeover per exercise.</summary>
internal static class SessionTime
{
    /// <summary>About 4 s per repetition (2–3 s lowering, 1 s lifting, a breath between reps).</summary>
    public const int SecondsPerRep = 4;
    public const int ChangeoverSeconds = 30;

    public static int Seconds(PlanExercise item, Exercise? exercise)
    {
        var averageReps = (item.RepsMin + item.RepsMax) / 2.0;
        var work = exercise?.IsTimed == true ? averageReps : averageReps * SecondsPerRep;
        return (int)Math.Ceiling(item.Sets * (work + item.RestSeconds)) + ChangeoverSeconds;
    }

    public static double Minutes(PlanDay day, ExerciseCatalogue catalogue) =>
        day.Exercises.Sum(e => Seconds(e, catalogue.Find(e.ExerciseId))) / 60.0;
}
