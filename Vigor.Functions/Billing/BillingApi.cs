using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Vigor.Core.Auth;
using Vigor.Core.Billing;
using Vigor.Core.Infrastructure.Http;
using Vigor.Functions.Infrastructure;

namespace Vigor.Functions.Billing;

internal sealed class BillingApi(BillingService billing, StripeWebhooks webhooks)
{
    [Function(nameof(StartCheckout))]
    [ApiDoc("Billing", "Start a Stripe Checkout for a paid tier; open the returned URL. The tier changes when Stripe confirms the payment",
        Request = typeof(CheckoutRequest), Response = typeof(BillingSessionDto), Errors = [400, 409, 413, 415, 502, 503])]
    public async Task<IResult> StartCheckout([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/billing/checkout")] HttpRequest req, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<CheckoutRequest>(req, ct, maxBytes: 4 * 1024);
        return problem ?? (await billing.CheckoutAsync(req.GetCaller().UserId, body!, ct)).ToResult(TypedResults.Ok);
    }

    [Function(nameof(OpenBillingPortal))]
    [ApiDoc("Billing", "Open the Stripe Customer Portal: change or cancel the plan, update the card, see invoices",
        Response = typeof(BillingSessionDto), Errors = [404, 502, 503])]
    public async Task<IResult> OpenBillingPortal([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/billing/portal")] HttpRequest req, CancellationToken ct)
        => (await billing.PortalAsync(req.GetCaller().UserId, ct)).ToResult(TypedResults.Ok);

    [Function(nameof(ReceiveStripeEvent)), Anonymous]
    [ApiDoc("Billing", "Stripe webhook: events signed with the Stripe-Signature header; each event id takes effect once",
        Response = typeof(WebhookReceipt), Errors = [400, 413, 503])]
    public async Task<IResult> ReceiveStripeEvent([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/billing/webhook")] HttpRequest req, CancellationToken ct)
    {
        var (body, problem) = await WebhookBody.ReadAsync(req, ct);
        return problem ?? (await webhooks.HandleAsync(body, req.Headers["Stripe-Signature"].ToString(), ct)).ToResult(TypedResults.Ok);
    }
}
