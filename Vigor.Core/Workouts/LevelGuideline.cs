namespace Vigor.Core.Workouts;

/// <summary>Per-level limits from ACSM 2009 (fitness-science §3.2) and the §3.9 validator table.</summary>
internal sealed record LevelGuideline(string Level, int MaxDaysPerWeek, double WeeklySetsMin, double WeeklySetsMax, int MinTargetRir)
{
    /// <summary>§3.9 V1: beginners ≤3 (full body), intermediate ≤5, advanced ≤6 days; §3.2 sets bands 6–10 / 10–16 / 12–20.</summary>
    public static LevelGuideline For(string level) => level switch
    {
        "advanced" => new("advanced", 6, 12, 20, 0),
        "intermediate" => new("intermediate", 5, 10, 16, 0),
        // §3.9 V8: beginners keep at least 2 reps in reserve (RIR 2–4, technique first, §3.2).
        _ => new("beginner", 3, 6, 10, 2),
    };
}
