using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigor.Core.Infrastructure;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Infrastructure.Secrets;

namespace Vigor.Core.Billing;

/// <summary>
/// <c>POST billing/webhook</c>: verifies the signature over the raw body, then for every event that concerns a
/// subscription re-reads the subscription from Stripe (so the state applied is the latest, whatever order events
/// arrive in) and records the event with its effect once. Any failure before the commit leaves nothing behind and
/// answers non-2xx, so Stripe delivers the event again.
/// </summary>
internal sealed class StripeWebhooks(
    ISecretStore secrets, StripeGateway stripe, BillingAccounts accounts, BillingLedger ledger, IOptions<BillingOptions> options,
    TimeProvider time, ILogger<StripeWebhooks> logger)
{
    public async Task<Outcome<WebhookReceipt>> HandleAsync(ReadOnlyMemory<byte> body, string? signature, CancellationToken ct)
    {
        // An unsigned request is refused as such even where billing is not configured.
        if (string.IsNullOrWhiteSpace(signature))
            return InvalidSignature("The Stripe-Signature header is missing.");
        if (await secrets.GetAsync(BillingSecretNames.StripeWebhookSecret, ct) is not { Length: > 0 } secret)
            return Unavailable($"Secret '{BillingSecretNames.StripeWebhookSecret}' is missing from the secret store.");
        if (StripeSignature.Check(body.Span, signature, secret, time.GetUtcNow(), options.Value.WebhookTolerance) is { } reason)
            return InvalidSignature(reason);
        var (e, badField) = StripeEvent.Parse(body);
        if (e is null)
            return Problems.Validation(badField!, "is missing or malformed.");
        if (await ledger.IsRecordedAsync(e.Id, ct))
            return new WebhookReceipt(e.Id, BillingOutcomes.Duplicate);

        try
        {
            var outcome = await ApplyAsync(e, ct);
            BillingLog.EventHandled(logger, e.Id, e.Type, outcome);
            return new WebhookReceipt(e.Id, outcome);
        }
        catch (BillingUnavailableException ex)
        {
            return Unavailable(ex.Message);
        }
        catch (Stripe.StripeException ex)
        {
            // Stripe refused our read (a restricted key, another account's object): fixable on our side, so ask for a redelivery.
            return Unavailable($"Stripe refused reading subscription {e.SubscriptionId}: {ex.StripeError?.Code ?? ex.Message}");
        }
    }

    private async Task<string> ApplyAsync(StripeEvent e, CancellationToken ct)
    {
        var relevant = e.SubscriptionId is not null && (e.Type != StripeEvent.CheckoutCompleted || e.Mode == "subscription");
        if (!relevant)
            return await ledger.RecordAsync(e, null, null, BillingOutcomes.Ignored, time.GetUtcNow().UtcDateTime, ct);

        var state = await stripe.GetSubscriptionAsync(e.SubscriptionId!, ct);
        // Stripe no longer knows the subscription (deleted test data): it pays for nothing.
        state ??= e.CustomerId is null ? null
            : new SubscriptionSnapshot(e.SubscriptionId!, e.CustomerId, SubscriptionStatuses.Canceled, null, null, null, false, null, null, time.GetUtcNow().UtcDateTime);
        var customer = state?.CustomerId ?? e.CustomerId;
        // Our own customer table first; the user id the event or subscription carries only for a customer we have not stored.
        var user = customer is null ? null : await accounts.FindUserAsync(customer, ct) ?? e.ClaimedUserId ?? state?.MetadataUserId;
        if (user is null || state is null)
        {
            BillingLog.UnknownCustomer(logger, e.Id, e.Type, customer);
            return await ledger.RecordAsync(e, null, null, BillingOutcomes.UnknownCustomer, time.GetUtcNow().UtcDateTime, ct);
        }
        return await ledger.RecordAsync(e, user, state, BillingOutcomes.Applied, time.GetUtcNow().UtcDateTime, ct);
    }

    private ProblemResult InvalidSignature(string reason)
    {
        BillingLog.WebhookRejected(logger, reason);
        var problem = Problems.Validation("Stripe-Signature", reason);
        problem.Problem.Type = Problems.TypeBase + "invalid_signature";
        problem.Problem.Extensions["code"] = "invalid_signature";
        return problem;
    }

    private ProblemResult Unavailable(string reason)
    {
        BillingLog.Unavailable(logger, reason);
        return Problems.Create(503, "billing_unavailable", "Billing is unavailable.", "Deliver the event again later.", TimeSpan.FromSeconds(30));
    }
}
