using System.Net;
using Microsoft.Extensions.Options;
using Stripe;
using Vigor.Core.Infrastructure.Secrets;
using CheckoutSessionCreateOptions = Stripe.Checkout.SessionCreateOptions;
using CheckoutSessionService = Stripe.Checkout.SessionService;
using PortalSessionCreateOptions = Stripe.BillingPortal.SessionCreateOptions;
using PortalSessionService = Stripe.BillingPortal.SessionService;

namespace Vigor.Core.Billing;

/// <summary>
/// The Stripe API calls billing makes, through Stripe.net against <see cref="BillingOptions.ApiBase"/>, with the API
/// key read from the secret store on each call (so a rotated key is used without a restart).
/// Failures surface as <see cref="BillingUnavailableException"/> (Stripe or the key unavailable) or
/// <see cref="StripeException"/> (Stripe refused the request).
/// </summary>
internal sealed class StripeGateway(IHttpClientFactory httpClients, ISecretStore secrets, IOptions<BillingOptions> options, TimeProvider time)
{
    public const string HttpClientName = "stripe";

    public async Task<string> CreateCustomerAsync(Guid userId, string email, CancellationToken ct)
    {
        var service = new CustomerService(await ClientAsync(ct));
        var customer = await CallAsync(() => service.CreateAsync(
            new CustomerCreateOptions { Email = email, Metadata = new() { ["user_id"] = userId.ToString() } },
            // One customer per user even when two checkouts race: Stripe answers a repeated key with the first result.
            new RequestOptions { IdempotencyKey = "vigor-customer-" + userId }, ct));
        return customer.Id;
    }

    public async Task<string> CreateCheckoutAsync(string customerId, string priceId, Guid userId, string tier, CancellationToken ct)
    {
        var settings = options.Value;
        var metadata = new Dictionary<string, string> { ["user_id"] = userId.ToString(), ["tier"] = tier };
        var service = new CheckoutSessionService(await ClientAsync(ct));
        var session = await CallAsync(() => service.CreateAsync(new CheckoutSessionCreateOptions
        {
            Mode = "subscription",
            Customer = customerId,
            ClientReferenceId = userId.ToString(),
            LineItems = [new Stripe.Checkout.SessionLineItemOptions { Price = priceId, Quantity = 1 }],
            SuccessUrl = settings.SuccessUrl,
            CancelUrl = settings.CancelUrl,
            Metadata = metadata,
            SubscriptionData = new Stripe.Checkout.SessionSubscriptionDataOptions { Metadata = new(metadata) },
        }, null, ct));
        return session.Url;
    }

    public async Task<string> CreatePortalAsync(string customerId, CancellationToken ct)
    {
        var service = new PortalSessionService(await ClientAsync(ct));
        var session = await CallAsync(() => service.CreateAsync(
            new PortalSessionCreateOptions { Customer = customerId, ReturnUrl = options.Value.PortalReturnUrl }, null, ct));
        return session.Url;
    }

    /// <summary>The subscription's current state, stamped with when the read started; null when Stripe has no such subscription.</summary>
    public async Task<SubscriptionSnapshot?> GetSubscriptionAsync(string id, CancellationToken ct)
    {
        var service = new SubscriptionService(await ClientAsync(ct));
        var readAt = time.GetUtcNow().UtcDateTime;
        try
        {
            var s = await CallAsync(() => service.GetAsync(id, null, null, ct));
            var items = s.Items?.Data ?? [];
            var priceId = items.Select(i => i.Price?.Id).FirstOrDefault(p => options.Value.TierOfPrice(p) is not null)
                          ?? items.Select(i => i.Price?.Id).FirstOrDefault(p => p is not null);
            var periodEnd = items.Count == 0 ? (DateTime?)null : items.Max(i => i.CurrentPeriodEnd);
            var user = s.Metadata is { } m && m.TryGetValue("user_id", out var u) && Guid.TryParse(u, out var g) ? g : (Guid?)null;
            return new SubscriptionSnapshot(s.Id, s.CustomerId, s.Status, priceId, options.Value.TierOfPrice(priceId),
                Utc(periodEnd), s.CancelAtPeriodEnd, Utc(s.CancelAt), user, readAt);
        }
        catch (StripeException e) when (e.HttpStatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<StripeClient> ClientAsync(CancellationToken ct)
    {
        var key = await secrets.GetAsync(BillingSecretNames.StripeApiKey, ct)
                  ?? throw new BillingUnavailableException($"Secret '{BillingSecretNames.StripeApiKey}' is missing from the secret store.");
        var http = new SystemNetHttpClient(httpClients.CreateClient(HttpClientName), maxNetworkRetries: 2);
        return new StripeClient(key, httpClient: http, apiBase: options.Value.ApiBase.TrimEnd('/'));
    }

    private static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (StripeException e) when (e.HttpStatusCode is 0 or HttpStatusCode.TooManyRequests or HttpStatusCode.Unauthorized or >= HttpStatusCode.InternalServerError)
        {
            throw new BillingUnavailableException($"Stripe answered {(int)e.HttpStatusCode}: {e.StripeError?.Code ?? e.Message}", e);
        }
        catch (HttpRequestException e)
        {
            throw new BillingUnavailableException("Stripe could not be reached: " + e.Message, e);
        }
    }

    private static DateTime? Utc(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;
}

/// <summary>Billing cannot talk to Stripe right now (not configured, key rejected, Stripe down): a 503, retried later.</summary>
public sealed class BillingUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
