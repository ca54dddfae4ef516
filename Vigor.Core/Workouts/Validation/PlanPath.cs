namespace Vigor.Core.Workouts.Validation;

/// <summary>JSON-style paths into a plan, as the API reports them with findings.</summary>
internal static class PlanPath
{
    public static string Day(int day) => $"days[{day}]";

    public static string Exercise(int day, int exercise) => $"days[{day}].exercises[{exercise}]";
}
