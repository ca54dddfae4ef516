using System.Net;
using System.Text;
using Vigor.Tests.Support;
using static Vigor.Tests.Billing.StripeEvents;

namespace Vigor.Tests.Billing;

/// <summary>A webhook whose signature does not hold is refused with 400 and changes nothing, not even the event log.</summary>
[TestClass]
public sealed class BillingWebhookSignatureTests
{
    private static BillingTestKit kit = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _ = context;
        kit = await BillingTestKit.StartAsync("billingsig");
    }

    [ClassCleanup]
    public static async Task StopAsync() => await kit.DisposeAsync();

    public static IEnumerable<object[]> Tamperings()
    {
        yield return ["wrong secret", (Func<string, (string, string?)>)(p => (p, SignatureHeader(p, "whsec_not_the_endpoints_secret")))];
        yield return ["one changed byte", (Func<string, (string, string?)>)(p => (p.Replace("\"active\"", "\"activf\"", StringComparison.Ordinal), SignatureHeader(p, BillingTestKit.WebhookSecret)))];
        yield return ["timestamp 301 s old", (Func<string, (string, string?)>)(p => (p, SignatureHeader(p, BillingTestKit.WebhookSecret, DateTimeOffset.UtcNow.AddSeconds(-301))))];
        yield return ["timestamp 301 s ahead", (Func<string, (string, string?)>)(p => (p, SignatureHeader(p, BillingTestKit.WebhookSecret, DateTimeOffset.UtcNow.AddSeconds(301))))];
        yield return ["missing header", (Func<string, (string, string?)>)(p => (p, ""))];
        yield return ["v0 only", (Func<string, (string, string?)>)(p => (p, SignatureHeader(p, BillingTestKit.WebhookSecret).Replace("v1=", "v0=", StringComparison.Ordinal)))];
        yield return ["garbage", (Func<string, (string, string?)>)(p => (p, "t=abc,v1=zz"))];
    }

    [TestMethod]
    [DynamicData(nameof(Tamperings))]
    public async Task Tampered_BadRequest_NothingChanges(string what, Func<string, (string Payload, string? Header)> tamper)
    {
        var (user, customer) = await kit.CustomerAsync();
        var sub = kit.Subscribe(StripeIds.New("sub"), customer, user.UserId, "active", PremiumPrice, DateTimeOffset.UtcNow.AddDays(30));
        var (payload, header) = tamper(Event("customer.subscription.created", kit.Stripe.Subscriptions[sub]));
        var events = await kit.CountAsync("SELECT count(*) FROM billing_events");

        var (status, body) = await kit.DeliverAsync(payload, header);

        Assert.AreEqual(HttpStatusCode.BadRequest, status, what);
        Assert.AreEqual("invalid_signature", body.GetProperty("code").GetString(), what);
        Assert.IsTrue(body.GetProperty("errors").TryGetProperty("Stripe-Signature", out _), what);
        Assert.AreEqual(events, await kit.CountAsync("SELECT count(*) FROM billing_events"), what);
        Assert.AreEqual("free", await kit.TierAsync(user.UserId), what);
        Assert.IsEmpty(kit.Stripe.CallsTo("/v1/subscriptions/" + sub), what);
    }

    [TestMethod]
    public async Task Untampered_SameEvent_Accepted_ProvesTheTamperingsAreTheOnlyDifference()
    {
        var (user, customer) = await kit.CustomerAsync();
        var sub = kit.Subscribe(StripeIds.New("sub"), customer, user.UserId, "active", PremiumPrice, DateTimeOffset.UtcNow.AddDays(30));
        var payload = Event("customer.subscription.created", kit.Stripe.Subscriptions[sub]);

        var (status, body) = await kit.DeliverAsync(payload, SignatureHeader(payload, BillingTestKit.WebhookSecret, DateTimeOffset.UtcNow.AddSeconds(-290)));

        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        Assert.AreEqual("premium", await kit.TierAsync(user.UserId));
    }

    [TestMethod]
    public async Task SignedButMalformed_BadRequestNamingTheField()
    {
        const string payload = "{\"object\":\"event\",\"type\":\"invoice.paid\",\"created\":1767225600,\"data\":{\"object\":{}}}";

        var (status, body) = await kit.DeliverAsync(payload);
        var notJson = await kit.DeliverAsync("not json at all");

        Assert.AreEqual(HttpStatusCode.BadRequest, status);
        Assert.IsTrue(body.GetProperty("errors").TryGetProperty("id", out _), body.ToString());
        Assert.AreEqual(HttpStatusCode.BadRequest, notJson.Status);
        Assert.IsTrue(notJson.Body.GetProperty("errors").TryGetProperty("body", out _), notJson.Body.ToString());
    }

    [TestMethod]
    public async Task NoWebhookSecretConfigured_ServiceUnavailable()
    {
        var payload = Event("invoice.paid", Invoice("cus_x", "sub_x", "paid", 1));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/billing/webhook") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", SignatureHeader(payload, BillingTestKit.WebhookSecret));

        var response = await SharedHost.Host.Client.SendAsync(request);

        Assert.AreEqual(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        StringAssert.Contains(await response.Content.ReadAsStringAsync(), "billing_unavailable");
    }
}
