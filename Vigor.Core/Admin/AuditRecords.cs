using System.Text.Json;

namespace Vigor.Core.Admin;

/// <summary>An admin change to record. <c>Before</c> is null for a creation, <c>After</c> for a deletion.</summary>
public sealed record AuditChange(Guid ActorId, string Action, string Target, object? Before, object? After);

/// <summary>One audit log entry; <c>before</c>/<c>after</c> are the target's state as the admin API showed it.</summary>
public sealed record AuditEntry(long Id, Guid? ActorId, string? ActorEmail, string Action, string Target, JsonElement? Before, JsonElement? After, DateTime CreatedAt);

/// <summary>The <c>action</c> names the audit log uses: <c>&lt;target kind&gt;.&lt;verb&gt;</c>.</summary>
public static class AuditActions
{
    public const string ProviderCreate = "provider.create";
    public const string ProviderUpdate = "provider.update";
    public const string ProviderDelete = "provider.delete";
    public const string ProviderSecretSet = "provider.secret_set";
    public const string BudgetsUpdate = "budgets.update";
    public const string UserTier = "user.tier";
    public const string UserStatus = "user.status";
    public const string TierUpdate = "tier.update";

    public static string Provider(Guid id) => "provider:" + id;

    public static string User(Guid id) => "user:" + id;

    public static string Tier(string name) => "tier:" + name;
}
