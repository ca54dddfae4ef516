using Microsoft.Extensions.Logging;

namespace Vigor.Core.Billing;

internal static partial class BillingLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Billing unavailable: {Reason}")]
    public static partial void Unavailable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stripe refused a request with {Status}: code {StripeCode}, param {StripeParam}")]
    public static partial void StripeRefused(ILogger logger, Exception exception, int status, string? stripeCode, string? stripeParam);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe webhook rejected: {Reason}")]
    public static partial void WebhookRejected(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stripe event {EventId} ({EventType}): {Outcome}")]
    public static partial void EventHandled(ILogger logger, string eventId, string eventType, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe event {EventId} ({EventType}) names customer {CustomerId}, which belongs to no user")]
    public static partial void UnknownCustomer(ILogger logger, string eventId, string eventType, string? customerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Billing expiry: {Checked} users checked, {Changed} tiers changed")]
    public static partial void Expired(ILogger logger, int @checked, int changed);
}
