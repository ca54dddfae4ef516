using Vigor.Core.Exercises;
using Vigor.Core.Infrastructure.Http;

namespace Vigor.Core.Workouts;

/// <summary>The input rules of a logged session (400 naming the field); limits keep one log well under 256 KiB.</summary>
internal static class WorkoutLogValidator
{
    public const int MaxDurationMinutes = 600;
    public const int MaxExercises = 30;
    public const int MaxSetsPerExercise = 50;
    public const int MaxReps = 1000;
    public const double MaxWeightKg = 1000;
    public const int MaxSetSeconds = 86_400;
    public const int MaxRir = 10;
    public const int MaxNotesLength = 2000;

    public static FieldErrors Validate(LogWorkoutRequest request, ExerciseCatalogue catalogue, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        RecordedTime.Check(errors, request.PerformedAt, now, "performedAt", required: true);
        errors.Range(request.DurationMinutes, 1, MaxDurationMinutes, "durationMinutes", required: true);
        errors.Range(request.Rating, 1, 5, "rating");
        errors.Text(request.Notes, "notes", MaxNotesLength);
        if (request.Exercises is not { Length: > 0 } exercises)
            return errors.Add("exercises", "must list at least one exercise.");
        if (exercises.Length > MaxExercises)
            return errors.Add("exercises", $"must list at most {MaxExercises} exercises.");
        for (var i = 0; i < exercises.Length; i++)
        {
            var path = $"exercises[{i}]";
            if (exercises[i] is not { } exercise)
            {
                errors.Add(path, "must be an object.");
                continue;
            }
            if (exercise.ExerciseId is null)
                errors.Add($"{path}.exerciseId", "is required.");
            else if (catalogue.Find(exercise.ExerciseId) is null)
                errors.Add($"{path}.exerciseId", "is not in the exercise catalogue (see GET /api/exercises).");
            if (exercise.Sets is not { Length: > 0 } sets)
                errors.Add($"{path}.sets", "must list at least one set.");
            else if (sets.Length > MaxSetsPerExercise)
                errors.Add($"{path}.sets", $"must list at most {MaxSetsPerExercise} sets.");
            else
            {
                for (var s = 0; s < sets.Length; s++)
                    ValidateSet(errors, sets[s], $"{path}.sets[{s}]");
            }
        }
        return errors;
    }

    private static void ValidateSet(FieldErrors errors, LoggedSetRequest? set, string path)
    {
        if (set is null)
        {
            errors.Add(path, "must be an object.");
            return;
        }
        // A timed set (a plank, a row on the erg) may give its duration alone.
        errors.Range(set.Reps, 0, MaxReps, $"{path}.reps", required: set.DurationSeconds is null);
        if (set.WeightKg is { } kg)
            errors.Check(kg is >= 0 and <= MaxWeightKg, $"{path}.weightKg", $"must be between 0 and {MaxWeightKg}.");
        errors.Range(set.DurationSeconds, 0, MaxSetSeconds, $"{path}.durationSeconds");
        errors.Range(set.Rir, 0, MaxRir, $"{path}.rir");
    }
}
