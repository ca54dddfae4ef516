namespace Vigor.Core.Billing;

/// <summary>The body of <c>POST billing/checkout</c>.</summary>
public sealed record CheckoutRequest(string? Tier);

/// <summary>A Stripe-hosted page to send the user to (Checkout or the Customer Portal).</summary>
public sealed record BillingSessionDto(string Url);

/// <summary>What the webhook answers Stripe: the event id and what was done with it (<c>duplicate</c> for a redelivery).</summary>
public sealed record WebhookReceipt(string EventId, string Outcome);

public static class BillingTiers
{
    public const string Free = "free";
}

public static class BillingSecretNames
{
    public const string StripeApiKey = "stripe-api-key";
    public const string StripeWebhookSecret = "stripe-webhook-secret";
}

/// <summary>Stripe subscription statuses (https://docs.stripe.com/api/subscriptions/object#subscription_object-status).</summary>
public static class SubscriptionStatuses
{
    public const string Active = "active";
    public const string Trialing = "trialing";
    public const string PastDue = "past_due";
    public const string Canceled = "canceled";
    public const string Unpaid = "unpaid";
    public const string Incomplete = "incomplete";
    public const string IncompleteExpired = "incomplete_expired";
    public const string Paused = "paused";

    /// <summary>Statuses of a subscription that still exists for the customer: a new checkout would start a second one.</summary>
    public static bool IsOpen(string status) => status is Active or Trialing or PastDue or Unpaid or Paused;
}
