using Vigor.Core.Progress;

namespace Vigor.Core.Workouts;

/// <summary>The body of <c>POST workouts/logs</c>; nullable members so a missing field is a named 400, defaults mark the optional ones.</summary>
internal sealed record LogWorkoutRequest(
    DateTimeOffset? PerformedAt,
    int? DurationMinutes,
    LoggedExerciseRequest?[]? Exercises,
    Guid? PlanId = null,
    int? Rating = null,
    string? Notes = null);

internal sealed record LoggedExerciseRequest(string? ExerciseId, LoggedSetRequest?[]? Sets);

/// <summary>Reps may be left out of a timed set that gives durationSeconds.</summary>
internal sealed record LoggedSetRequest(int? Reps = null, double? WeightKg = null, int? DurationSeconds = null, int? Rir = null);

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

/// <summary>A validated session to store for a user (one entry of a <see cref="WorkoutLogBatcher"/> batch).</summary>
internal sealed record NewWorkoutLog(Guid UserId, Guid? PlanId, int DurationMinutes, LoggedSession Session, int? Rating, string? Notes);
