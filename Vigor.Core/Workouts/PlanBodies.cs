using Vigor.Core.Workouts.Validation;

namespace Vigor.Core.Workouts;

/// <summary>
/// The body of <c>POST workouts/plans</c>. Nullable members so that a missing field is a named 400, not a default; parameters
/// with defaults are the optional ones (so the OpenAPI schema says). The goal defaults to the profile's first goal.
/// </summary>
internal sealed record CreatePlanRequest(string? Name, PlanDayRequest?[]? Days, string? Goal = null);

internal sealed record PlanDayRequest(PlanExerciseRequest?[]? Exercises, string? Name = null);

/// <summary>targetRir defaults to 2 and restSeconds to 90 when omitted.</summary>
internal sealed record PlanExerciseRequest(string? ExerciseId, int? Sets, int? RepsMin, int? RepsMax, int? TargetRir = null, int? RestSeconds = null);

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
