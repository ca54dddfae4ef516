namespace Vigor.Core.Exercises;

/// <summary>The catalogue's own vocabularies; equipment and body areas come from <see cref="Profiles.ProfileVocabulary"/>.</summary>
internal static class ExerciseVocabulary
{
    public static readonly string[] Muscles =
    [
        "chest", "front_delts", "side_delts", "rear_delts", "lats", "upper_back", "traps", "biceps", "triceps", "forearms",
        "abs", "obliques", "lower_back", "glutes", "quads", "hamstrings", "calves", "adductors", "hip_flexors",
    ];

    /// <summary>free-exercise-db's four difficulty levels (fitness-science §2); users are at most "advanced".</summary>
    public static readonly string[] Levels = ["beginner", "intermediate", "advanced", "expert"];

    public static readonly string[] Mechanics = ["compound", "isolation"];

    public static readonly string[] Patterns =
    [
        "squat", "hinge", "lunge", "horizontal_push", "vertical_push", "horizontal_pull", "vertical_pull", "carry", "core",
        "cardio", "mobility",
    ];

    public static int LevelRank(string level) => Array.IndexOf(Levels, level);
}
