using Vigor.Core.Exercises;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Profiles;
using Vigor.Core.Workouts.Validation;

namespace Vigor.Core.Workouts;

/// <summary>
/// The input rules of a manual plan (400 naming the field): what makes it well formed, with V0's bounds. Whether it is a
/// good plan for the caller is the plan validator's business (findings, stored with the plan).
/// </summary>
internal static class PlanRequestValidator
{
    public const int MaxNameLength = 100;
    public const int MaxDays = 7;
    public const int MaxExercisesPerDay = 20;
    public const int DefaultTargetRir = 2;
    public const int DefaultRestSeconds = 90;

    public static FieldErrors Validate(CreatePlanRequest request, ExerciseCatalogue catalogue)
    {
        var errors = new FieldErrors();
        errors.Text(request.Name, "name", MaxNameLength, required: true);
        errors.Check(request.Goal is null || ProfileVocabulary.Goals.Contains(request.Goal), "goal", $"must be one of: {string.Join(", ", ProfileVocabulary.Goals)}.");
        if (request.Days is not { Length: > 0 } days)
            return errors.Add("days", "must list 1 to 7 training days.");
        if (days.Length > MaxDays)
            return errors.Add("days", $"must list at most {MaxDays} days (the plan is one week).");
        for (var d = 0; d < days.Length; d++)
        {
            var path = PlanPath.Day(d);
            if (days[d] is not { } day)
            {
                errors.Add(path, "must be an object.");
                continue;
            }
            errors.Text(day.Name, $"{path}.name", 60);
            if (day.Exercises is not { Length: > 0 } items)
            {
                errors.Add($"{path}.exercises", "must list at least one exercise.");
                continue;
            }
            if (items.Length > MaxExercisesPerDay)
            {
                errors.Add($"{path}.exercises", $"must list at most {MaxExercisesPerDay} exercises.");
                continue;
            }
            for (var i = 0; i < items.Length; i++)
                ValidateItem(errors, items[i], PlanPath.Exercise(d, i), catalogue);
        }
        return errors;
    }

    private static void ValidateItem(FieldErrors errors, PlanExerciseRequest? item, string path, ExerciseCatalogue catalogue)
    {
        if (item is null)
        {
            errors.Add(path, "must be an object.");
            return;
        }
        var exercise = catalogue.Find(item.ExerciseId);
        if (item.ExerciseId is null)
            errors.Add($"{path}.exerciseId", "is required.");
        else if (exercise is null)
            errors.Add($"{path}.exerciseId", "is not in the exercise catalogue (see GET /api/exercises).");
        var maxReps = exercise?.IsTimed == true ? StructureCheck.MaxTimedSeconds : StructureCheck.MaxReps;
        errors.Range(item.Sets, 1, StructureCheck.MaxSets, $"{path}.sets", required: true);
        errors.Range(item.RepsMin, 1, maxReps, $"{path}.repsMin", required: true);
        errors.Range(item.RepsMax, Math.Clamp(item.RepsMin ?? 1, 1, maxReps), maxReps, $"{path}.repsMax", required: true);
        errors.Range(item.TargetRir, 0, StructureCheck.MaxRir, $"{path}.targetRir");
        errors.Range(item.RestSeconds, 0, StructureCheck.MaxRestSeconds, $"{path}.restSeconds");
    }

    /// <summary>The domain plan of a request that passed <see cref="Validate"/>.</summary>
    public static Plan ToPlan(CreatePlanRequest request, string goal) => new(
        request.Name!.Trim(),
        goal,
        request.Days!.Select((day, d) => new PlanDay(
            string.IsNullOrWhiteSpace(day!.Name) ? $"Day {d + 1}" : day.Name.Trim(),
            day.Exercises!.Select(e => new PlanExercise(
                e!.ExerciseId!, e.Sets!.Value, e.RepsMin!.Value, e.RepsMax!.Value, e.TargetRir ?? DefaultTargetRir, e.RestSeconds ?? DefaultRestSeconds)).ToList()))
            .ToList());
}
