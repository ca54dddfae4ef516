using Vigor.Core.Workouts.Validation;

namespace Vigor.Core.Workouts;

/// <summary>The body of <c>POST workouts/plans</c>. Nullable members so that a missing field is a named 400, not a default.</summary>
internal sealed record CreatePlanRequest(string? Name, string? Goal, PlanDayRequest?[]? Days);

internal sealed record PlanDayRequest(string? Name, PlanExerciseRequest?[]? Exercises);

/// <summary>targetRir defaults to 2 and restSeconds to 90 when omitted.</summary>
internal sealed record PlanExerciseRequest(string? ExerciseId, int? Sets, int? RepsMin, int? RepsMax, int? TargetRir, int? RestSeconds);

/// <summary>A stored plan with the validator's findings; <c>hasErrors</c> plans are kept but never recommended.</summary>
internal sealed record PlanView(
    Guid Id,
    string Name,
    string Goal,
    string Source,
    IReadOnlyList<PlanDay> Days,
    IReadOnlyList<PlanFinding> Findings,
    bool HasErrors,
    DateTime CreatedAt);
