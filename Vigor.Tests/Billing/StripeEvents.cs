using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Vigor.Tests.Billing;

/// <summary>
/// Realistic Stripe objects and events (the shapes of API version 2026-10-28, the one Stripe.net 53 pins) and
/// Stripe's signing scheme: <c>t={unix},v1=hex(HMAC-SHA256(secret, "{t}.{payload}"))</c>.
/// </summary>
internal static class StripeEvents
{
    public const string ApiVersion = "2026-10-28.endive";
    public const string PremiumPrice = "price_1QpremiumTEST";
    public const string UnlimitedPrice = "price_1QunlimitedTEST";
    public const string ReplacedUnlimitedPrice = "price_1QunlimitedOLD";

    public static string SignatureHeader(string payload, string secret, DateTimeOffset? at = null)
    {
        var t = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{payload}"));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }

    public static string Event(string type, JsonObject dataObject, JsonObject? previous = null, string? id = null)
    {
        var data = new JsonObject { ["object"] = dataObject };
        if (previous is not null)
            data["previous_attributes"] = previous;
        return new JsonObject
        {
            ["id"] = id ?? StripeIds.New("evt"),
            ["object"] = "event",
            ["api_version"] = ApiVersion,
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["data"] = data,
            ["livemode"] = false,
            ["pending_webhooks"] = 1,
            ["request"] = new JsonObject { ["id"] = StripeIds.New("req"), ["idempotency_key"] = Guid.NewGuid().ToString() },
            ["type"] = type,
        }.ToJsonString();
    }

    public static JsonObject Subscription(string id, string customer, Guid userId, string status, string price, DateTimeOffset periodEnd, bool cancelAtPeriodEnd = false)
    {
        var start = periodEnd.AddMonths(-1).ToUnixTimeSeconds();
        return new JsonObject
        {
            ["id"] = id,
            ["object"] = "subscription",
            ["billing_cycle_anchor"] = start,
            ["cancel_at"] = cancelAtPeriodEnd ? periodEnd.ToUnixTimeSeconds() : null,
            ["cancel_at_period_end"] = cancelAtPeriodEnd,
            ["canceled_at"] = status == "canceled" || cancelAtPeriodEnd ? DateTimeOffset.UtcNow.ToUnixTimeSeconds() : null,
            ["collection_method"] = "charge_automatically",
            ["created"] = start,
            ["currency"] = "usd",
            ["customer"] = customer,
            ["ended_at"] = status == "canceled" ? DateTimeOffset.UtcNow.ToUnixTimeSeconds() : null,
            ["items"] = new JsonObject
            {
                ["object"] = "list",
                ["data"] = new JsonArray(new JsonObject
                {
                    ["id"] = StripeIds.New("si"),
                    ["object"] = "subscription_item",
                    ["created"] = start,
                    ["current_period_start"] = start,
                    ["current_period_end"] = periodEnd.ToUnixTimeSeconds(),
                    ["metadata"] = new JsonObject(),
                    ["price"] = Price(price),
                    ["quantity"] = 1,
                    ["subscription"] = id,
                }),
                ["has_more"] = false,
                ["total_count"] = 1,
                ["url"] = "/v1/subscription_items?subscription=" + id,
            },
            ["latest_invoice"] = StripeIds.New("in"),
            ["livemode"] = false,
            ["metadata"] = new JsonObject { ["user_id"] = userId.ToString(), ["tier"] = price == PremiumPrice ? "premium" : "unlimited" },
            ["start_date"] = start,
            ["status"] = status,
        };
    }

    public static JsonObject CompletedCheckout(string customer, Guid userId, string subscription) => new()
    {
        ["id"] = StripeIds.New("cs_test"),
        ["object"] = "checkout.session",
        ["amount_subtotal"] = 999,
        ["amount_total"] = 999,
        ["client_reference_id"] = userId.ToString(),
        ["currency"] = "usd",
        ["customer"] = customer,
        ["livemode"] = false,
        ["metadata"] = new JsonObject { ["user_id"] = userId.ToString(), ["tier"] = "premium" },
        ["mode"] = "subscription",
        ["payment_status"] = "paid",
        ["status"] = "complete",
        ["subscription"] = subscription,
        ["success_url"] = "https://app.vigor.test/billing/success?session_id={CHECKOUT_SESSION_ID}",
        ["url"] = null,
    };

    public static JsonObject Invoice(string customer, string subscription, string status, int attempts) => new()
    {
        ["id"] = StripeIds.New("in"),
        ["object"] = "invoice",
        ["amount_due"] = 999,
        ["amount_paid"] = status == "paid" ? 999 : 0,
        ["attempt_count"] = attempts,
        ["attempted"] = true,
        ["billing_reason"] = "subscription_cycle",
        ["collection_method"] = "charge_automatically",
        ["currency"] = "usd",
        ["customer"] = customer,
        ["livemode"] = false,
        ["next_payment_attempt"] = status == "paid" ? null : DateTimeOffset.UtcNow.AddDays(3).ToUnixTimeSeconds(),
        ["parent"] = new JsonObject
        {
            ["type"] = "subscription_details",
            ["quote_details"] = null,
            ["subscription_details"] = new JsonObject { ["metadata"] = new JsonObject(), ["subscription"] = subscription },
        },
        ["status"] = status,
        ["total"] = 999,
    };

    private static JsonObject Price(string id) => new()
    {
        ["id"] = id,
        ["object"] = "price",
        ["active"] = true,
        ["currency"] = "usd",
        ["product"] = StripeIds.New("prod"),
        ["recurring"] = new JsonObject { ["interval"] = "month", ["interval_count"] = 1, ["usage_type"] = "licensed" },
        ["type"] = "recurring",
        ["unit_amount"] = id == PremiumPrice ? 999 : 2999,
    };
}
