using Vigor.Core.Profiles;

namespace Vigor.Core.Workouts;

/// <summary>A weekly plan as product.md defines it: the days repeat every week, in order.</summary>
internal sealed record Plan(string Name, string Goal, IReadOnlyList<PlanDay> Days);

internal sealed record PlanDay(string Name, IReadOnlyList<PlanExercise> Exercises);

/// <summary>One prescription. For timed exercises (planks, cardio) the rep range is a range of seconds.</summary>
internal sealed record PlanExercise(string ExerciseId, int Sets, int RepsMin, int RepsMax, int TargetRir, int RestSeconds);

/// <summary>
/// A proposed load change for V6: the load used now, the load the plan proposes, and the reps achieved on the last set
/// of the most recent sessions at the current load (oldest first).
/// </summary>
internal sealed record LoadStep(string ExerciseId, double CurrentKg, double ProposedKg, IReadOnlyList<int> RecentLastSetReps);

/// <summary>What the validator knows about the user. Optional data (previous week, load steps) enables V6 and V7.</summary>
internal sealed record PlanContext(
    string Level,
    IReadOnlyList<string> Goals,
    IReadOnlyList<string> Equipment,
    IReadOnlyList<string> InjuredAreas,
    int DaysPerWeek,
    int SessionMinutes,
    bool IsMinor = false,
    bool ScreeningFlagged = false)
{
    public Plan? PreviousWeek { get; init; }

    public IReadOnlyList<LoadStep>? LoadSteps { get; init; }

    /// <summary>Weeks of continuous training since the last deload, when the caller tracks it (V7).</summary>
    public int? WeeksSinceDeload { get; init; }

    /// <summary>"upper_body" waives V12's legs share; a muscle term steers the generator's accessories.</summary>
    public string? Focus { get; init; }

    public const int DefaultDaysPerWeek = 3;
    public const int DefaultSessionMinutes = 45;

    /// <summary>Builds the context from a saved profile; missing answers fall back to a cautious beginner default.</summary>
    public static PlanContext FromProfile(Profile profile, bool isMinor) => new(
        profile.FitnessLevel ?? "beginner",
        profile.Goals.Length > 0 ? profile.Goals : ["general_fitness"],
        profile.Equipment,
        profile.Injuries.Select(i => i.Area).OfType<string>().Distinct(StringComparer.Ordinal).ToArray(),
        profile.DaysPerWeek ?? DefaultDaysPerWeek,
        profile.SessionMinutes ?? DefaultSessionMinutes,
        isMinor,
        profile.Screening.Values.Any(answer => answer));
}
