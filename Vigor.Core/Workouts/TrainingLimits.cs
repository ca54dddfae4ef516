namespace Vigor.Core.Workouts;

/// <summary>Thresholds that do not depend on the level (fitness-science §3.9).</summary>
internal static class TrainingLimits
{
    /// <summary>V1: at least one rest day a week.</summary>
    public const int MaxDaysPerWeek = 6;

    /// <summary>V2: weekly sets per muscle above 20 are flagged and above 30 rejected (§3.2, [13][14]).</summary>
    public const double WeeklySetsWarning = 20;
    public const double WeeklySetsMaximum = 30;

    /// <summary>V5: about 25 working sets fill 60–75 minutes; more than 6 sets of one exercise is junk volume.</summary>
    public const int MaxSetsPerSession = 25;
    public const int MaxSetsPerExercise = 6;

    /// <summary>V3: ≥48 h between hard sessions for a muscle (ACSM 2011 [12]). "Hard" = ≥4 credited sets at RIR ≤3 (RPE ≥7, §3.4).</summary>
    public const double HardSessionSets = 4;
    public const int HardSetMaxRir = 3;

    /// <summary>V6: ≤10% load jump per session (§3.3).</summary>
    public const double MaxLoadJumpFraction = 0.10;

    /// <summary>V7: weekly sets per muscle may rise by 20% or 2 sets, whichever is more (§3.3); deload every 4–8 weeks.</summary>
    public const double MaxVolumeRampFraction = 0.20;
    public const double MaxVolumeRampSets = 2;
    public const int DeloadOverdueWeeks = 8;

    /// <summary>V12: push:pull set ratio 0.67–1.5 and legs ≥25% of sets (practical balance rule, §3.9).</summary>
    public const double MinPushPullRatio = 0.67;
    public const double MaxPushPullRatio = 1.5;
    public const double MinLegsShare = 0.25;

    /// <summary>Major muscles whose weekly sets below the level band are reported (V2).</summary>
    public static readonly string[] MajorMuscles = ["chest", "lats", "upper_back", "quads", "hamstrings", "glutes"];
}
