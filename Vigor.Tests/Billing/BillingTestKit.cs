using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Npgsql;
using Vigor.Tests.Support;

namespace Vigor.Tests.Billing;

/// <summary>A local host wired to a <see cref="FakeStripe"/>, and what the billing tests read back from it.</summary>
internal sealed class BillingTestKit : IAsyncDisposable
{
    public const string WebhookSecret = "whsec_test_4eC39HqLyjWDarjtT1zdp7dc";

    private BillingTestKit(TestHost host, FakeStripe stripe)
    {
        Host = host;
        Stripe = stripe;
    }

    public TestHost Host { get; }

    public FakeStripe Stripe { get; }

    public static async Task<BillingTestKit> StartAsync(string purpose)
    {
        var stripe = await FakeStripe.StartAsync();
        var host = await TestHost.StartAsync(purpose, new Dictionary<string, string?>
        {
            ["Secrets:stripe-api-key"] = stripe.ApiKey,
            ["Secrets:stripe-webhook-secret"] = WebhookSecret,
            ["Billing:ApiBase"] = stripe.Url,
            ["Billing:Prices:premium"] = StripeEvents.PremiumPrice,
            ["Billing:Prices:unlimited"] = $"{StripeEvents.UnlimitedPrice},{StripeEvents.ReplacedUnlimitedPrice}",
            ["Billing:SuccessUrl"] = "https://app.vigor.test/billing/success?session_id={CHECKOUT_SESSION_ID}",
            ["Billing:CancelUrl"] = "https://app.vigor.test/billing/cancel",
            ["Billing:PortalReturnUrl"] = "https://app.vigor.test/settings",
        });
        return new BillingTestKit(host, stripe);
    }

    /// <summary>A registered user with a Stripe customer on file (as a first checkout leaves them).</summary>
    public async Task<(Session User, string Customer)> CustomerAsync()
    {
        var user = await Host.RegisterAsync();
        var customer = StripeIds.New("cus");
        await using var conn = new NpgsqlConnection(Host.ConnectionString);
        await conn.ExecuteAsync("INSERT INTO billing_customers (user_id, customer_id) VALUES (@id, @customer)", new { id = user.UserId, customer });
        return (user, customer);
    }

    /// <summary>Puts the subscription in the fake (what a re-fetch sees) and returns its id.</summary>
    public string Subscribe(string subscriptionId, string customer, Guid userId, string status, string price, DateTimeOffset periodEnd, bool cancelAtPeriodEnd = false)
    {
        Stripe.Subscriptions[subscriptionId] = StripeEvents.Subscription(subscriptionId, customer, userId, status, price, periodEnd, cancelAtPeriodEnd);
        return subscriptionId;
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> DeliverAsync(string payload, string? signature = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/billing/webhook")
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", signature ?? StripeEvents.SignatureHeader(payload, WebhookSecret));
        var response = await Host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, Session user, object? json = null)
    {
        var response = await Host.SendAsync(HttpMethod.Post, path, user.AccessToken, json ?? new JsonObject());
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    public async Task<string> TierAsync(Guid userId)
    {
        await using var conn = new NpgsqlConnection(Host.ConnectionString);
        return await conn.ExecuteScalarAsync<string>("SELECT tier FROM users WHERE id = @userId", new { userId }) ?? "";
    }

    /// <summary>The tier changes billing audit-logged for the user, oldest first: (before, after).</summary>
    public async Task<List<(string Before, string After)>> TierChangesAsync(Guid userId)
    {
        await using var conn = new NpgsqlConnection(Host.ConnectionString);
        return (await conn.QueryAsync<(string, string)>("""
            SELECT before->>'tier', after->>'tier' FROM audit_log
            WHERE action = 'billing.tier_change' AND target = @target AND actor_id = '00000000-0000-0000-0000-000000000000'
            ORDER BY id
            """, new { target = "user:" + userId })).AsList();
    }

    public async Task<long> CountAsync(string sql, object? args = null)
    {
        await using var conn = new NpgsqlConnection(Host.ConnectionString);
        return await conn.ExecuteScalarAsync<long>(sql, args);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Stripe.DisposeAsync();
    }
}
