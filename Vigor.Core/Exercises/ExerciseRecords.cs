using System.Text.Json.Serialization;

namespace Vigor.Core.Exercises;

/// <summary>One catalogue entry. Every listed equipment kind is required; <see cref="LoadsAreas"/> drives injury exclusion.</summary>
internal sealed record Exercise(
    string Id,
    string Name,
    IReadOnlyList<string> PrimaryMuscles,
    IReadOnlyList<string> SecondaryMuscles,
    IReadOnlyList<string> Equipment,
    string Level,
    string Mechanic,
    string Pattern,
    IReadOnlyList<string> LoadsAreas,
    IReadOnlyList<string> Instructions,
    bool IsOlympic = false,
    bool IsBarbellPowerLift = false,
    bool IsTimed = false)
{
    [JsonIgnore]
    public bool IsCompound => Mechanic == "compound";

    /// <summary>Cardio and mobility work are not hard resistance sets: they count for neither volume nor balance.</summary>
    [JsonIgnore]
    public bool IsResistance => Pattern is not ("cardio" or "mobility");

    [JsonIgnore]
    public bool IsLowerBody => Pattern is "squat" or "hinge" or "lunge";

    [JsonIgnore]
    public bool IsPush => Pattern is "horizontal_push" or "vertical_push";

    [JsonIgnore]
    public bool IsPull => Pattern is "horizontal_pull" or "vertical_pull";

    [JsonIgnore]
    public int LevelRank => ExerciseVocabulary.LevelRank(Level);

    /// <summary>Bodyweight is always available: everyone can train with their own body.</summary>
    public bool IsUsableWith(IEnumerable<string> available)
    {
        var set = available as IReadOnlySet<string> ?? available.ToHashSet(StringComparer.Ordinal);
        return Equipment.All(e => e == "bodyweight" || set.Contains(e));
    }

    public bool LoadsAnyOf(IEnumerable<string> areas) => areas.Any(a => LoadsAreas.Contains(a));

    /// <summary>Fractional set credit (Pelland 2024, fitness-science §3.2): primary muscles 1, secondary 0.5.</summary>
    public double SetCredit(string muscle) =>
        PrimaryMuscles.Contains(muscle) ? 1 : SecondaryMuscles.Contains(muscle) ? 0.5 : 0;
}

internal sealed record MuscleInfo(string Id, string Name, IReadOnlyList<string> Aliases);

/// <summary>A catalogue search: every given criterion must hold. Equipment matches exercises that use any listed kind.</summary>
internal sealed record ExerciseFilter(string? Muscle = null, IReadOnlyCollection<string>? Equipment = null, string? Level = null, string? Q = null);
