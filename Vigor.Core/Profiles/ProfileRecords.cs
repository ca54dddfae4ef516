namespace Vigor.Core.Profiles;

public sealed record Injury(string? Area, string? Note);

/// <summary>The body of <c>PUT me/profile</c>: it replaces the whole profile; omitted fields go back to their defaults.</summary>
public sealed record ProfileUpdate(
    string? FitnessLevel,
    string[]? Goals,
    string[]? Equipment,
    Injury[]? Injuries,
    int? DaysPerWeek,
    int? SessionMinutes,
    string? Units,
    Dictionary<string, bool>? Screening);

public sealed record Profile(
    string? FitnessLevel,
    string[] Goals,
    string[] Equipment,
    Injury[] Injuries,
    int? DaysPerWeek,
    int? SessionMinutes,
    string Units,
    Dictionary<string, bool> Screening,
    DateTime UpdatedAt);

public sealed record MeResponse(
    Guid Id, string Email, string? DisplayName, string Role, string Tier, bool IsMinor, string Status, Profile Profile, DateTime CreatedAt);
