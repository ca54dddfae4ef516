using System.ComponentModel.DataAnnotations;

namespace Vigor.Core.Billing;

/// <summary>
/// Stripe billing settings (section <c>Billing</c>). Nothing here is required at startup: a deployment without Stripe
/// runs, and the billing routes answer 503 until it is configured. What is set must be valid, or startup fails.
/// Price ids are per environment (test and live mode have different ones), which is why they live here and not on
/// the tiers table that admins edit.
/// </summary>
public sealed class BillingOptions : IValidatableObject
{
    public const string Section = "Billing";

    /// <summary>Stripe's API base; tests point it at a loopback fake.</summary>
    public string ApiBase { get; set; } = "https://api.stripe.com";

    /// <summary>
    /// Tier name to Stripe price id(s), e.g. <c>Billing:Prices:premium = price_123</c>. A comma-separated list maps
    /// several prices to one tier (a replaced price keeps its subscribers); the first is used for new checkouts.
    /// A tier with no price (or an empty value) is not sold.
    /// </summary>
    public Dictionary<string, string> Prices { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    // Empty counts as unset: the Bicep template passes every setting, with '' where an environment does not sell.

    /// <summary>Where Checkout sends the user after paying; Stripe fills in <c>{CHECKOUT_SESSION_ID}</c>.</summary>
    public string? SuccessUrl { get; set => field = NullIfEmpty(value); }

    public string? CancelUrl { get; set => field = NullIfEmpty(value); }

    /// <summary>Where the Customer Portal's "return" link goes.</summary>
    public string? PortalReturnUrl { get; set => field = NullIfEmpty(value); }

    /// <summary>How long a past_due subscription (a failed renewal payment) keeps its tier.</summary>
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The largest gap allowed between a webhook's signed timestamp and now (Stripe's libraries use 300 s).</summary>
    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromMinutes(5);

    public IEnumerable<string> PriceIds(string tier)
        => Prices.TryGetValue(tier, out var ids) ? ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];

    /// <summary>The tier a Stripe price pays for, or null for a price this app does not sell.</summary>
    public string? TierOfPrice(string? priceId)
        => priceId is null ? null : Prices.Keys.FirstOrDefault(tier => PriceIds(tier).Contains(priceId, StringComparer.Ordinal));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsHttpUrl(ApiBase))
            yield return Invalid(nameof(ApiBase), "must be an absolute http(s) URL");
        foreach (var (name, value) in new[] { (nameof(SuccessUrl), SuccessUrl), (nameof(CancelUrl), CancelUrl), (nameof(PortalReturnUrl), PortalReturnUrl) })
        {
            if (value is not null && !IsHttpUrl(value))
                yield return Invalid(name, "must be an absolute http(s) URL");
        }
        foreach (var tier in Prices.Keys)
        {
            if (tier.Equals(BillingTiers.Free, StringComparison.OrdinalIgnoreCase))
                yield return Invalid($"Prices:{tier}", "must not be set: the free tier is not sold");
            else if (PriceIds(tier).Any(id => !id.StartsWith("price_", StringComparison.Ordinal)))
                yield return Invalid($"Prices:{tier}", "must be Stripe price ids (price_...), comma-separated");
        }
        if (GracePeriod < TimeSpan.Zero || GracePeriod > TimeSpan.FromDays(60))
            yield return Invalid(nameof(GracePeriod), "must be between 0 and 60 days");
        if (WebhookTolerance <= TimeSpan.Zero || WebhookTolerance > TimeSpan.FromHours(1))
            yield return Invalid(nameof(WebhookTolerance), "must be between 1 second and 1 hour");
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static bool IsHttpUrl(string value)
        => Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private static ValidationResult Invalid(string property, string message)
        => new($"Setting '{Section}:{property}' {message}.", [property.Split(':')[0]]);
}
