namespace Vigor.Core.Admin;

/// <summary>The body of <c>PUT admin/users/{id}/tier</c>.</summary>
public sealed record UserTierChange(string? Tier);

/// <summary>The body of <c>PUT admin/users/{id}/status</c>; the reason goes to the audit log.</summary>
public sealed record UserStatusChange(string? Status, string? Reason);

/// <summary>A user's AI usage this calendar month (UTC), from the ledger.</summary>
public sealed record UserMonthUsage(string Month, long Requests, long InputTokens, long OutputTokens, decimal CostUsd);

/// <summary>A user as admins see them.</summary>
public sealed record UserDetail(
    Guid Id, string Email, string? DisplayName, string Role, string Tier, string Status, bool IsMinor, DateTime CreatedAt, DateTime UpdatedAt,
    UserMonthUsage Usage);

public static class UserStatuses
{
    public const string Active = "active";
    public const string Suspended = "suspended";

    public static readonly string[] All = [Active, Suspended];
}
