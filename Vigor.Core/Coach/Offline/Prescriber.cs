using Vigor.Core.Exercises;
using Vigor.Core.Workouts;
using Vigor.Core.Workouts.Validation;

namespace Vigor.Core.Coach.Offline;

/// <summary>Sets, reps, RIR and rest for an exercise, from the goal table (§3.1) and the level table (§3.2) of fitness-science.</summary>
internal static class Prescriber
{
    /// <summary>Light intensity for mobility and steady cardio: RPE ≤6 (§3.4).</summary>
    public const int EasyRir = 4;

    public static PlanExercise For(Exercise e, string goal, PlanContext context)
    {
        var level = LevelGuideline.For(context.Level).Level;
        if (e.Pattern == "mobility")
            return e.IsTimed ? new(e.Id, 2, 30, 45, EasyRir, 15) : new(e.Id, 2, 8, 10, EasyRir, 15);
        if (e.Pattern == "cardio")
        {
            if (e.Equipment.Contains("cardio_machine") && e.IsTimed)
                return new(e.Id, 1, 600, 900, context.ScreeningFlagged ? EasyRir : 3, 0);
            return e.IsTimed ? new(e.Id, 3, 30, 45, EasyRir, 30) : new(e.Id, 3, 8, 12, 3, 45);
        }
        var rx = e.IsTimed ? Timed(e, level, context) : Reps(e.IsCompound, goal, level, context);
        return rx with { ExerciseId = e.Id };
    }

    private static PlanExercise Timed(Exercise e, string level, PlanContext context)
    {
        var rir = context.ScreeningFlagged ? EasyRir : 3;
        var rest = e.Pattern == "carry" ? 60 : 45;
        return level == "beginner" || context.ScreeningFlagged ? new("", 2, 20, 30, rir, rest) : new("", 3, 30, 45, rir, rest);
    }

    private static PlanExercise Reps(bool compound, string goal, string level, PlanContext context)
    {
        if (context.ScreeningFlagged)
            return new("", 2, 12, 15, EasyRir, 90);
        var beginner = level == "beginner";
        var sets = beginner ? 2 : 3;
        var rir = beginner ? 3 : 2;
        var rx = goal switch
        {
            "strength" when compound => beginner ? new("", 3, 6, 10, 3, 120) : level == "advanced" ? new("", 4, 3, 5, 2, 180) : new("", 3, 4, 6, 2, 180),
            "strength" => new PlanExercise("", sets, 8, 12, rir, 90),
            "hypertrophy" when compound => beginner ? new("", 2, 8, 12, 3, 90) : new("", level == "advanced" ? 4 : 3, 6, 10, 2, 120),
            "hypertrophy" => new("", sets, 10, 15, level == "advanced" ? 1 : rir, 60),
            "endurance" => compound ? new("", 2, 12, 15, 3, 45) : new("", 2, 15, 20, 3, 30),
            "weight_loss" => compound ? new("", sets, 10, 15, 3, 45) : new("", 2, 12, 15, 3, 45),
            _ => compound ? new("", sets, 8, 12, rir, 90) : new("", 2, 10, 15, rir, 60),
        };
        if (!context.IsMinor)
            return rx;
        // Minors: no maximal efforts (product.md); stay above V8's floor with a margin.
        var repsMin = Math.Max(rx.RepsMin, EffortCheck.MinorMinReps + 1);
        return rx with { RepsMin = repsMin, RepsMax = Math.Max(rx.RepsMax, repsMin + 2), TargetRir = Math.Max(rx.TargetRir, 3), RestSeconds = Math.Max(rx.RestSeconds, 60) };
    }

    public static int MinSets(string level) => level == "beginner" ? 1 : 2;
}
