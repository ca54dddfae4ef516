using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stripe;
using Vigor.Core.Infrastructure;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Usage;

namespace Vigor.Core.Billing;

/// <summary>Starts Stripe Checkout for a tier's price and opens the Customer Portal; the tier itself changes only through the webhook.</summary>
internal sealed class BillingService(
    BillingAccounts accounts, TierRepository tiers, StripeGateway stripe, IOptions<BillingOptions> options, ILogger<BillingService> logger)
{
    public async Task<Outcome<BillingSessionDto>> CheckoutAsync(Guid userId, CheckoutRequest body, CancellationToken ct)
    {
        var errors = new FieldErrors().Text(body.Tier, "tier", 40, required: true);
        if (!errors.IsEmpty)
            return errors.ToProblem();
        var tier = await tiers.GetAsync(body.Tier!, ct);
        if (tier is null)
            return Problems.Validation("tier", "is not a tier (see GET /api/tiers).");
        if (tier.Name == BillingTiers.Free)
            return Problems.Validation("tier", "free needs no checkout: cancel the paid plan in the billing portal instead.");
        if (options.Value.PriceIds(tier.Name).FirstOrDefault() is not { } priceId)
            return Problems.Validation("tier", "is not offered for purchase.");
        var account = await accounts.GetAsync(userId, ct);
        if (account is null)
            return Problems.Unauthorized();
        if (account.Tier == tier.Name)
            return Problems.Validation("tier", "is already your tier.");
        if (account.HasOpenSubscription)
            return Problems.Create(409, "already_subscribed", "You already have a subscription.",
                "Change or cancel the plan in the billing portal (POST /api/billing/portal).");
        if (options.Value.SuccessUrl is null || options.Value.CancelUrl is null)
            return Unavailable("settings 'Billing:SuccessUrl' and 'Billing:CancelUrl' are not set");

        return await CallStripeAsync(async () =>
        {
            var customer = account.CustomerId ?? await accounts.SaveCustomerAsync(userId, await stripe.CreateCustomerAsync(userId, account.Email, ct), ct);
            return new BillingSessionDto(await stripe.CreateCheckoutAsync(customer, priceId, userId, tier.Name, ct));
        });
    }

    public async Task<Outcome<BillingSessionDto>> PortalAsync(Guid userId, CancellationToken ct)
    {
        var account = await accounts.GetAsync(userId, ct);
        if (account is null)
            return Problems.Unauthorized();
        if (account.CustomerId is not { } customer)
            return Problems.Create(404, "no_billing_account", "No billing account.", "Subscribe first (POST /api/billing/checkout).");
        if (options.Value.PortalReturnUrl is null)
            return Unavailable("setting 'Billing:PortalReturnUrl' is not set");
        return await CallStripeAsync(async () => new BillingSessionDto(await stripe.CreatePortalAsync(customer, ct)));
    }

    private async Task<Outcome<BillingSessionDto>> CallStripeAsync(Func<Task<BillingSessionDto>> call)
    {
        try
        {
            return await call();
        }
        catch (BillingUnavailableException e)
        {
            return Unavailable(e.Message);
        }
        catch (StripeException e)
        {
            BillingLog.StripeRefused(logger, e, (int)e.HttpStatusCode, e.StripeError?.Code, e.StripeError?.Param);
            return Problems.Create(502, "payment_provider_error", "The payment provider refused the request.", "The error was logged.");
        }
    }

    private ProblemResult Unavailable(string reason)
    {
        BillingLog.Unavailable(logger, reason);
        return Problems.Create(503, "billing_unavailable", "Billing is unavailable.", "Try again later.", TimeSpan.FromSeconds(30));
    }
}
