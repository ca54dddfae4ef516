using Vigor.Core.Workouts;
using Vigor.Core.Workouts.Validation;

namespace Vigor.Core.Coach.Offline;

/// <summary>The optional overrides of <c>POST workouts/plans/generate</c>; anything left out comes from the profile.</summary>
internal sealed record PlanRequest(string? Goal = null, int? DaysPerWeek = null, int? SessionMinutes = null, string? Focus = null);

/// <summary>
/// A generated plan, the notes that explain what was adapted (capped days, left-out exercises) and the validation it
/// passed, run against <see cref="Context"/>: the profile with the request's overrides applied.
/// </summary>
internal sealed record GeneratedPlan(Plan Plan, IReadOnlyList<string> Notes, PlanValidation Validation, PlanContext Context);

/// <summary>A place in a day's template: which patterns may fill it, whether it wants a compound lift, which muscles it targets.</summary>
internal sealed record Slot(string Role, string[] Patterns, bool Compound, string[]? Muscles = null)
{
    public static Slot Main(params string[] patterns) => new("main", patterns, true);

    public static Slot Accessory(string pattern, params string[] muscles) => new("accessory", [pattern], false, muscles);

    public static readonly Slot Core = new("core", ["core"], false);

    public static readonly Slot Cardio = new("cardio", ["cardio"], true);

    public static readonly Slot Mobility = new("mobility", ["mobility"], false);
}

/// <summary>An exercise chosen for a slot, with its prescription; Priority orders trimming (higher goes first).</summary>
internal sealed record DraftItem(Exercises.Exercise Exercise, PlanExercise Item, int Priority, string Role)
{
    /// <summary>Session order: mobility warm-up, compound lifts, isolation lifts, core, cardio (ACSM 2009 exercise order).</summary>
    public int Position => Role switch
    {
        "mobility" => 0,
        "cardio" => 4,
        "core" => 3,
        _ => Exercise.IsCompound ? 1 : 2,
    };
}
