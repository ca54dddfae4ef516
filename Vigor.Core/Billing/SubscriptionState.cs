namespace Vigor.Core.Billing;

/// <summary>A subscription as read from Stripe, reduced to what decides the tier; <c>ReadAt</c> orders the states.</summary>
public sealed record SubscriptionSnapshot(
    string Id, string CustomerId, string Status, string? PriceId, string? Tier, DateTime? CurrentPeriodEnd,
    bool CancelAtPeriodEnd, DateTime? CancelAt, Guid? MetadataUserId, DateTime ReadAt);

/// <summary>A stored subscription with its tier's priority (null when the tier is unknown or was removed).</summary>
public sealed record StoredSubscription(
    string Id, string Status, string? Tier, int? TierPriority, DateTime? CurrentPeriodEnd, bool CancelAtPeriodEnd,
    DateTime? CancelAt, DateTime? PastDueSince);

/// <summary>
/// The tier rules: active or trialing pays for its tier until a scheduled cancellation takes effect; past_due keeps
/// it for the grace period counted from the first failed payment; anything else (unpaid, canceled, incomplete,
/// incomplete_expired, paused) pays for nothing. The user gets the best tier any of their subscriptions pays for.
/// </summary>
public static class Entitlement
{
    public static string TierAt(IEnumerable<StoredSubscription> subscriptions, DateTime now, TimeSpan grace)
        => subscriptions.Where(s => Pays(s, now, grace)).OrderByDescending(s => s.TierPriority).Select(s => s.Tier).FirstOrDefault()
           ?? BillingTiers.Free;

    public static bool Pays(StoredSubscription s, DateTime now, TimeSpan grace)
    {
        if (s.Tier is null || s.TierPriority is null || EndsAt(s) <= now)
            return false;
        return s.Status switch
        {
            SubscriptionStatuses.Active or SubscriptionStatuses.Trialing => true,
            SubscriptionStatuses.PastDue => s.PastDueSince is { } since && since + grace > now,
            _ => false,
        };
    }

    /// <summary>When a scheduled cancellation ends the subscription: an explicit cancel_at, else the period end.</summary>
    public static DateTime? EndsAt(StoredSubscription s) => s.CancelAt ?? (s.CancelAtPeriodEnd ? s.CurrentPeriodEnd : null);
}
