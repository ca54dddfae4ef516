using Vigor.Core.Progress;

namespace Vigor.Core.Workouts;

/// <summary>The body of <c>POST workouts/logs</c>; nullable members so a missing field is a named 400.</summary>
internal sealed record LogWorkoutRequest(
    Guid? PlanId,
    DateTimeOffset? PerformedAt,
    int? DurationMinutes,
    LoggedExerciseRequest?[]? Exercises,
    int? Rating,
    string? Notes);

internal sealed record LoggedExerciseRequest(string? ExerciseId, LoggedSetRequest?[]? Sets);

internal sealed record LoggedSetRequest(int? Reps, double? WeightKg, int? DurationSeconds, int? Rir);

/// <summary>A stored session; <c>records</c> are the personal records it set against the sessions logged before it.</summary>
internal sealed record WorkoutLogView(
    Guid Id,
    Guid? PlanId,
    DateTimeOffset PerformedAt,
    int DurationMinutes,
    IReadOnlyList<LoggedExercise> Exercises,
    int? Rating,
    string? Notes,
    IReadOnlyList<PersonalRecord> Records,
    DateTime CreatedAt);
