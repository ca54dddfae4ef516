using Vigor.Core.Exercises;
using Vigor.Core.Profiles;
using Vigor.Core.Workouts;
using Vigor.Core.Workouts.Validation;

namespace Vigor.Tests.Workouts;

/// <summary>Compact builders for plans and contexts in validator tests.</summary>
internal static class PlanFixtures
{
    public static readonly ExerciseCatalogue Catalogue = ExerciseCatalogue.Default;

    public static PlanExercise Ex(string id, int sets = 3, int repsMin = 8, int repsMax = 12, int rir = 2, int rest = 90) =>
        new(id, sets, repsMin, repsMax, rir, rest);

    public static Plan Plan(string goal, params PlanExercise[][] days) =>
        new("Test plan", goal, days.Select((d, i) => new PlanDay($"Day {i + 1}", d)).ToList());

    public static PlanContext Context(
        string level = "intermediate", int days = 5, int minutes = 120, string[]? equipment = null, string[]? injuries = null,
        bool minor = false, bool flagged = false) =>
        new(level, ["hypertrophy"], equipment ?? ProfileVocabulary.Equipment, injuries ?? [], days, minutes, minor, flagged);

    public static List<PlanFinding> Run(IPlanCheck check, Plan plan, PlanContext context) =>
        check.Check(new PlanReview(plan, context, Catalogue)).ToList();

    public static List<string> Codes(IPlanCheck check, Plan plan, PlanContext context) =>
        Run(check, plan, context).Select(f => f.Code).ToList();

    /// <summary>A balanced intermediate full-body day: squat, push, pull, hinge, vertical push and pull, then a curl.</summary>
    public static PlanExercise[] FullBodyDay() =>
    [
        Ex("barbell-back-squat", rest: 120), Ex("dumbbell-bench-press"), Ex("seated-cable-row"), Ex("dumbbell-romanian-deadlift"),
        Ex("lat-pulldown"), Ex("seated-dumbbell-shoulder-press"), Ex("dumbbell-biceps-curl", sets: 2, repsMin: 10, repsMax: 15, rest: 60),
    ];
}
