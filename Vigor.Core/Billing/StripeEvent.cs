using System.Text.Json;

namespace Vigor.Core.Billing;

/// <summary>
/// The parts of a Stripe event that say which subscription and user it concerns. The subscription's state itself is
/// always re-read from Stripe's API, so the payload's shape (which varies with the endpoint's API version) matters
/// only for these ids: an invoice names its subscription under <c>parent.subscription_details</c> since 2025-03-31
/// and directly before that; both are read.
/// </summary>
public sealed record StripeEvent(string Id, string Type, DateTime Created, string? SubscriptionId, string? CustomerId, Guid? ClaimedUserId, string? Mode)
{
    public const string CheckoutCompleted = "checkout.session.completed";
    public const string SubscriptionCreated = "customer.subscription.created";
    public const string SubscriptionUpdated = "customer.subscription.updated";
    public const string SubscriptionDeleted = "customer.subscription.deleted";
    public const string InvoicePaid = "invoice.paid";
    public const string InvoicePaymentFailed = "invoice.payment_failed";

    /// <summary>The event, or the name of the field that is missing or malformed.</summary>
    public static (StripeEvent? Event, string? BadField) Parse(ReadOnlyMemory<byte> json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return (null, "body");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "object") != "event")
                return (null, "object");
            if (Text(root, "id") is not { Length: > 0 and <= 255 } id)
                return (null, "id");
            if (Text(root, "type") is not { Length: > 0 and <= 100 } type)
                return (null, "type");
            if (!root.TryGetProperty("created", out var created) || !created.TryGetInt64(out var seconds) || seconds is < 0 or > 253402300799)
                return (null, "created");
            if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object
                || !data.TryGetProperty("object", out var obj) || obj.ValueKind != JsonValueKind.Object)
                return (null, "data.object");

            var at = DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime;
            var customer = IdOf(obj, "customer");
            var claimedUser = Guid.TryParse(Text(obj, "client_reference_id") ?? Metadata(obj, "user_id"), out var user) ? user : (Guid?)null;
            var subscription = type switch
            {
                CheckoutCompleted => IdOf(obj, "subscription"),
                SubscriptionCreated or SubscriptionUpdated or SubscriptionDeleted => Text(obj, "id"),
                InvoicePaid or InvoicePaymentFailed => InvoiceSubscription(obj),
                _ => null,
            };
            return (new StripeEvent(id, type, at, subscription, customer, claimedUser, Text(obj, "mode")), null);
        }
    }

    private static string? InvoiceSubscription(JsonElement invoice)
        => invoice.TryGetProperty("parent", out var parent) && parent.ValueKind == JsonValueKind.Object
           && parent.TryGetProperty("subscription_details", out var details) && details.ValueKind == JsonValueKind.Object
            ? IdOf(details, "subscription")
            : IdOf(invoice, "subscription");

    private static string? Text(JsonElement obj, string name)
        => obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // An id field, or an expanded object carrying it.
    private static string? IdOf(JsonElement obj, string name)
        => obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? Text(value, "id") : Text(obj, name);

    private static string? Metadata(JsonElement obj, string key)
        => obj.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object ? Text(metadata, key) : null;
}
