namespace Vigor.Core.Workouts.Validation;

/// <summary>All findings for a plan; any error blocks it.</summary>
internal sealed record PlanValidation(IReadOnlyList<PlanFinding> Findings)
{
    public bool HasErrors => Findings.Any(f => f.Severity == FindingSeverity.Error);

    public IEnumerable<PlanFinding> Errors => Findings.Where(f => f.Severity == FindingSeverity.Error);

    public IEnumerable<PlanFinding> Warnings => Findings.Where(f => f.Severity == FindingSeverity.Warning);
}
