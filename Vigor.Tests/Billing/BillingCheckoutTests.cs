using System.Net;
using Vigor.Tests.Support;
using static Vigor.Tests.Billing.StripeEvents;

namespace Vigor.Tests.Billing;

/// <summary>Checkout and Customer Portal sessions through the local host, asserting what Stripe (the fake) receives.</summary>
[TestClass]
public sealed class BillingCheckoutTests
{
    private static BillingTestKit kit = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _ = context;
        kit = await BillingTestKit.StartAsync("billingcheckout");
    }

    [ClassCleanup]
    public static async Task StopAsync() => await kit.DisposeAsync();

    private List<FakeStripe.Call> CallsFor(string path, string field, string value)
        => kit.Stripe.CallsTo(path).Where(c => c.Form.GetValueOrDefault(field) == value).ToList();

    [TestMethod]
    public async Task Checkout_CreatesTheCustomerOnce_AndASubscriptionSessionForTheTiersPrice()
    {
        var user = await kit.Host.RegisterAsync();
        var id = user.UserId.ToString();

        var first = await kit.PostAsync("/api/billing/checkout", user, new { tier = "premium" });
        var second = await kit.PostAsync("/api/billing/checkout", user, new { tier = "unlimited" });

        Assert.AreEqual(HttpStatusCode.OK, first.Status, first.Body.ToString());
        StringAssert.StartsWith(first.Body.GetProperty("url").GetString(), "https://checkout.stripe.com/c/pay/cs_test_");
        var customers = CallsFor("/v1/customers", "metadata[user_id]", id);
        Assert.HasCount(1, customers, "one customer per user, remembered");
        Assert.AreEqual(user.Email, customers[0].Form["email"]);
        Assert.AreEqual("vigor-customer-" + id, customers[0].IdempotencyKey);
        var sessions = CallsFor("/v1/checkout/sessions", "client_reference_id", id);
        Assert.HasCount(2, sessions);
        var customer = await kit.CountAsync("SELECT count(*) FROM billing_customers WHERE user_id = @id", new { id = user.UserId });
        Assert.AreEqual(1, customer);
        foreach (var (session, price) in sessions.Zip(new[] { PremiumPrice, UnlimitedPrice }))
        {
            Assert.AreEqual("subscription", session.Form["mode"]);
            Assert.AreEqual(price, session.Form["line_items[0][price]"]);
            Assert.AreEqual("1", session.Form["line_items[0][quantity]"]);
            StringAssert.StartsWith(session.Form["customer"], "cus_");
            Assert.AreEqual(id, session.Form["subscription_data[metadata][user_id]"]);
            Assert.AreEqual("https://app.vigor.test/billing/success?session_id={CHECKOUT_SESSION_ID}", session.Form["success_url"]);
            Assert.AreEqual("https://app.vigor.test/billing/cancel", session.Form["cancel_url"]);
        }
        Assert.AreEqual(sessions[0].Form["customer"], sessions[1].Form["customer"]);
        Assert.AreEqual(HttpStatusCode.OK, second.Status);
    }

    [TestMethod]
    public async Task Checkout_Concurrent_OneCustomer()
    {
        var user = await kit.Host.RegisterAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => kit.PostAsync("/api/billing/checkout", user, new { tier = "premium" })));

        Assert.IsTrue(answers.All(a => a.Status == HttpStatusCode.OK));
        var customers = CallsFor("/v1/checkout/sessions", "client_reference_id", user.UserId.ToString()).Select(c => c.Form["customer"]).Distinct().ToList();
        Assert.HasCount(1, customers);
        Assert.AreEqual(1, await kit.CountAsync("SELECT count(*) FROM billing_customers WHERE user_id = @id", new { id = user.UserId }));
    }

    [TestMethod]
    [DataRow("{\"tier\":\"platinum\"}")]
    [DataRow("{\"tier\":\"free\"}")]
    [DataRow("{\"tier\":\"\"}")]
    [DataRow("{}")]
    [DataRow("{\"tier\":42}")]
    public async Task Checkout_NotAPaidTier_BadRequestNamingTier_NoStripeCall(string json)
    {
        var user = await kit.Host.RegisterAsync();

        var response = await kit.Host.Client.SendAsync(TestHost.Request(HttpMethod.Post, "/api/billing/checkout", user.AccessToken,
            new StringContent(json, System.Text.Encoding.UTF8, "application/json")));
        var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode, body.ToString());
        Assert.IsTrue(body.GetProperty("errors").TryGetProperty("tier", out _), body.ToString());
        Assert.IsEmpty(CallsFor("/v1/customers", "metadata[user_id]", user.UserId.ToString()));
    }

    [TestMethod]
    public async Task Checkout_TierAlreadyHeld_BadRequest_OtherTierWhileSubscribed_Conflict()
    {
        var (user, customer) = await kit.CustomerAsync();
        var sub = kit.Subscribe(StripeIds.New("sub"), customer, user.UserId, "active", PremiumPrice, DateTimeOffset.UtcNow.AddDays(30));
        await kit.DeliverAsync(Event("customer.subscription.created", kit.Stripe.Subscriptions[sub]));

        var same = await kit.PostAsync("/api/billing/checkout", user, new { tier = "premium" });
        var other = await kit.PostAsync("/api/billing/checkout", user, new { tier = "unlimited" });

        Assert.AreEqual(HttpStatusCode.BadRequest, same.Status, same.Body.ToString());
        Assert.IsTrue(same.Body.GetProperty("errors").TryGetProperty("tier", out _));
        Assert.AreEqual(HttpStatusCode.Conflict, other.Status, other.Body.ToString());
        Assert.AreEqual("already_subscribed", other.Body.GetProperty("code").GetString());
        Assert.IsEmpty(CallsFor("/v1/checkout/sessions", "customer", customer));
    }

    [TestMethod]
    public async Task Portal_WithoutCustomer_NotFound_WithCustomer_SessionForIt()
    {
        var stranger = await kit.Host.RegisterAsync();
        var (user, customer) = await kit.CustomerAsync();

        var none = await kit.PostAsync("/api/billing/portal", stranger);
        var portal = await kit.PostAsync("/api/billing/portal", user);

        Assert.AreEqual(HttpStatusCode.NotFound, none.Status, none.Body.ToString());
        Assert.AreEqual("no_billing_account", none.Body.GetProperty("code").GetString());
        Assert.AreEqual(HttpStatusCode.OK, portal.Status, portal.Body.ToString());
        StringAssert.StartsWith(portal.Body.GetProperty("url").GetString(), "https://billing.stripe.com/p/session/");
        var call = CallsFor("/v1/billing_portal/sessions", "customer", customer).Single();
        Assert.AreEqual("https://app.vigor.test/settings", call.Form["return_url"]);
    }

    [TestMethod]
    public async Task Checkout_StripeDown_ServiceUnavailable_NoCustomerStored()
    {
        var user = await kit.Host.RegisterAsync();

        kit.Stripe.Outage = true;
        (HttpStatusCode Status, System.Text.Json.JsonElement Body) response;
        try
        {
            response = await kit.PostAsync("/api/billing/checkout", user, new { tier = "premium" });
        }
        finally
        {
            kit.Stripe.Outage = false;
        }

        Assert.AreEqual(HttpStatusCode.ServiceUnavailable, response.Status, response.Body.ToString());
        Assert.AreEqual("billing_unavailable", response.Body.GetProperty("code").GetString());
        Assert.AreEqual(0, await kit.CountAsync("SELECT count(*) FROM billing_customers WHERE user_id = @id", new { id = user.UserId }));
    }
}
