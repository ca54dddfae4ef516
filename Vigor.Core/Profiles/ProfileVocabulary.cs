namespace Vigor.Core.Profiles;

/// <summary>The closed vocabularies of product.md that profiles, plans and the coach share.</summary>
public static class ProfileVocabulary
{
    public static readonly string[] FitnessLevels = ["beginner", "intermediate", "advanced"];

    public static readonly string[] Goals = ["strength", "hypertrophy", "endurance", "weight_loss", "general_fitness", "mobility"];

    public static readonly string[] Equipment =
        ["bodyweight", "dumbbells", "barbell", "kettlebells", "bands", "pullup_bar", "bench", "cable", "machine", "cardio_machine"];

    /// <summary>Body areas an injury can name; exercises list the areas they load, so injuries exclude by area.</summary>
    public static readonly string[] BodyAreas =
        ["neck", "shoulder", "elbow", "wrist", "upper_back", "lower_back", "chest", "abdomen", "hip", "knee", "ankle", "foot"];

    public static readonly string[] Units = ["metric", "imperial"];

    /// <summary>PAR-Q+ style screening questions (yes/no); any "yes" means see a professional before hard training.</summary>
    public static readonly string[] ScreeningQuestions =
    [
        "heartCondition", "chestPain", "dizzinessOrBalance", "chronicCondition", "prescribedMedication", "boneJointOrSoftTissue",
        "medicallySupervisedOnly",
    ];
}
