using System.Text.Json.Serialization;

namespace Vigor.Core.Workouts.Validation;

/// <summary>Errors block a plan; warnings inform the user and the coach.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FindingSeverity>))]
internal enum FindingSeverity
{
    [JsonStringEnumMemberName("warning")]
    Warning,

    [JsonStringEnumMemberName("error")]
    Error,
}

/// <summary>One validator result. Code is stable ("V2.volume_above_band"); Path points into the plan ("days[1].exercises[2]").</summary>
internal sealed record PlanFinding(string Code, FindingSeverity Severity, string Message, string? Path = null)
{
    public static PlanFinding Error(string code, string message, string? path = null) => new(code, FindingSeverity.Error, message, path);

    public static PlanFinding Warning(string code, string message, string? path = null) => new(code, FindingSeverity.Warning, message, path);
}
