using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Vigor.Core.Billing;
using static Vigor.Tests.Billing.StripeEvents;

namespace Vigor.Tests.Billing;

/// <summary>Stripe events through the local host's webhook: idempotent, order-safe, and moving the user's tier.</summary>
[TestClass]
public sealed class BillingWebhookTests
{
    private static BillingTestKit kit = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _ = context;
        kit = await BillingTestKit.StartAsync("billingwebhook");
    }

    [ClassCleanup]
    public static async Task StopAsync() => await kit.DisposeAsync();

    private static DateTimeOffset InAMonth => DateTimeOffset.UtcNow.AddDays(30);

    [TestMethod]
    public async Task CheckoutCompleted_UpgradesToTheSubscriptionsTier_AndAuditsIt()
    {
        var (user, customer) = await kit.CustomerAsync();
        var sub = kit.Subscribe(StripeIds.New("sub"), customer, user.UserId, "active", PremiumPrice, InAMonth);

        var (status, body) = await kit.DeliverAsync(Event("checkout.session.completed", CompletedCheckout(customer, user.UserId, sub)));

        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        Assert.AreEqual("tier_changed", body.GetProperty("outcome").GetString());
        Assert.AreEqual("premium", await kit.TierAsync(user.UserId));
        CollectionAssert.AreEqual(new[] { ("free", "premium") }, await kit.TierChangesAsync(user.UserId));
        Assert.AreEqual(1, kit.Stripe.CallsTo("/v1/subscriptions/" + sub).Count(), "the subscription is re-read from Stripe");
    }

    [TestMethod]
    public async Task SameEvent_FiveTimesConcurrently_OneEffect()
    {
        var (user, customer) = await kit.CustomerAsync();
        var sub = kit.Subscribe(StripeIds.New("sub"), customer, user.UserId, "active", UnlimitedPrice, InAMonth);
        var payload = Event("customer.subscription.created", Subscription(sub, customer, user.UserId, "active", UnlimitedPrice, InAMonth));
        var eventId = System.Text.Json.JsonDocument.Parse(payload).RootElement.GetProperty("id").GetString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => kit.DeliverAsync(payload)));

        Assert.IsTrue(answers.All(a => a.Status == HttpStatusCode.OK), string.Join("\n", answers.Select(a => a.Body.ToString())));
        var outcomes = answers.Select(a => a.Body.GetProperty("outcome").GetString()).Order().ToList();
        CollectionAssert.AreEqual(new[] { "duplicate", "duplicate", "duplicate", "duplicate", "tier_changed" }, outcomes);
        Assert.AreEqual(1, await kit.CountAsync("SELECT count(*) FROM billing_events WHERE id = @eventId", new { eventId }));
        Assert.AreEqual(1, await kit.CountAsync("SELECT count(*) FROM billing_subscriptions WHERE user_id = @id", new { id = user.UserId }));
        Assert.AreEqual("unlimited", await kit.TierAsync(user.UserId));
        Assert.HasCount(1, await kit.TierChangesAsync(user.UserId));
    }

    [TestMethod]
    public async Task SubscriptionUpdated_BeforeCheckoutCompleted_RightFinalTier()
    {
        var (user, customer) = await kit.CustomerAsync();
        var sub = kit.Subscribe(StripeIds.New("sub"), customer, user.UserId, "active", PremiumPrice, InAMonth);
        var updated = Event("customer.subscription.updated", Subscription(sub, customer, user.UserId, "active", PremiumPrice, InAMonth),
            previous: new() { ["status"] = "incomplete" });
        var completed = Event("checkout.session.completed", CompletedCheckout(customer, user.UserId, sub));

        var first = await kit.DeliverAsync(updated);
        var second = await kit.DeliverAsync(completed);

        Assert.AreEqual("tier_changed", first.Body.GetProperty("outcome").GetString(), first.Body.ToString());
        Assert.AreEqual("applied", second.Body.GetProperty("outcome").GetString(), second.Body.ToString());
        Assert.AreEqual("premium", await kit.TierAsync(user.UserId));
        CollectionAssert.AreEqual(new[] { ("free", "premium") }, await kit.TierChangesAsync(user.UserId));
    }

    [TestMethod]
    public async Task OlderEvent_AfterNewerOne_LatestStateWins()
    {
        var (user, customer) = await kit.CustomerAsync();
        var sub = kit.Subscribe(StripeIds.New("sub"), customer, user.UserId, "active", PremiumPrice, InAMonth);
        var created = Event("customer.subscription.created", Subscription(sub, customer, user.UserId, "active", PremiumPrice, InAMonth));
        await kit.DeliverAsync(created);
        kit.Subscribe(sub, customer, user.UserId, "canceled", PremiumPrice, InAMonth);
        var deleted = Event("customer.subscription.deleted", Subscription(sub, customer, user.UserId, "canceled", PremiumPrice, InAMonth));
        // A retry of an earlier "active" update, delivered after the deletion.
        var staleUpdate = Event("customer.subscription.updated", Subscription(sub, customer, user.UserId, "active", PremiumPrice, InAMonth));

        await kit.DeliverAsync(deleted);
        var stale = await kit.DeliverAsync(staleUpdate);

        Assert.AreEqual(HttpStatusCode.OK, stale.Status);
        Assert.AreEqual("free", await kit.TierAsync(user.UserId));
        CollectionAssert.AreEqual(new[] { ("free", "premium"), ("premium", "free") }, await kit.TierChangesAsync(user.UserId));
    }

    [TestMethod]
    public async Task InvoicePaid_BeforeSubscriptionCreated_RightFinalTier()
    {
        var (user, customer) = await kit.CustomerAsync();
        var sub = kit.Subscribe(StripeIds.New("sub"), customer, user.UserId, "active", UnlimitedPrice, InAMonth);

        var paid = await kit.DeliverAsync(Event("invoice.paid", Invoice(customer, sub, "paid", attempts: 1)));
        var created = await kit.DeliverAsync(Event("customer.subscription.created", kit.Stripe.Subscriptions[sub]));

        Assert.AreEqual("tier_changed", paid.Body.GetProperty("outcome").GetString(), paid.Body.ToString());
        Assert.AreEqual("applied", created.Body.GetProperty("outcome").GetString());
        Assert.AreEqual("unlimited", await kit.TierAsync(user.UserId));
    }

    [TestMethod]
    public async Task StateReadEarlier_CommittedLater_NeverReplacesTheNewerState()
    {
        // Two deliveries whose re-fetches overlap: the one that read Stripe later commits first.
        var (user, customer) = await kit.CustomerAsync();
        var sub = StripeIds.New("sub");
        var ledger = kit.Host.Services.GetRequiredService<BillingLedger>();
        var now = DateTime.UtcNow;
        SubscriptionSnapshot State(string status, DateTime readAt) => new(sub, customer, status, PremiumPrice, "premium", now.AddDays(30), false, null, null, readAt);
        StripeEvent Evt() => new(StripeIds.New("evt"), "customer.subscription.updated", now, sub, customer, null, null);

        await ledger.RecordAsync(Evt(), user.UserId, State("active", now.AddSeconds(-10)), BillingOutcomes.Applied, now, CancellationToken.None);
        await ledger.RecordAsync(Evt(), user.UserId, State("canceled", now.AddSeconds(-1)), BillingOutcomes.Applied, now, CancellationToken.None);
        var late = await ledger.RecordAsync(Evt(), user.UserId, State("active", now.AddSeconds(-5)), BillingOutcomes.Applied, now, CancellationToken.None);

        Assert.AreEqual("applied", late);
        Assert.AreEqual("free", await kit.TierAsync(user.UserId));
        Assert.AreEqual(1, await kit.CountAsync("SELECT count(*) FROM billing_subscriptions WHERE id = @sub AND status = 'canceled'", new { sub }));
        CollectionAssert.AreEqual(new[] { ("free", "premium"), ("premium", "free") }, await kit.TierChangesAsync(user.UserId));
    }

    [TestMethod]
    public async Task Unpaid_OrIncompleteExpired_IsFree()
    {
        var (user, customer) = await kit.CustomerAsync();
        var sub = kit.Subscribe(StripeIds.New("sub"), customer, user.UserId, "active", PremiumPrice, InAMonth);
        await kit.DeliverAsync(Event("customer.subscription.created", Subscription(sub, customer, user.UserId, "active", PremiumPrice, InAMonth)));
        var premium = await kit.TierAsync(user.UserId);
        kit.Subscribe(sub, customer, user.UserId, "unpaid", PremiumPrice, InAMonth);

        await kit.DeliverAsync(Event("customer.subscription.updated", Subscription(sub, customer, user.UserId, "unpaid", PremiumPrice, InAMonth)));

        Assert.AreEqual("premium", premium);
        Assert.AreEqual("free", await kit.TierAsync(user.UserId));
    }

    [TestMethod]
    public async Task ReplacedPrice_StillPaysForItsTier()
    {
        var (user, customer) = await kit.CustomerAsync();
        var sub = kit.Subscribe(StripeIds.New("sub"), customer, user.UserId, "trialing", ReplacedUnlimitedPrice, InAMonth);

        await kit.DeliverAsync(Event("customer.subscription.created", Subscription(sub, customer, user.UserId, "trialing", ReplacedUnlimitedPrice, InAMonth)));

        Assert.AreEqual("unlimited", await kit.TierAsync(user.UserId));
    }

    [TestMethod]
    public async Task StripeOutage_ServiceUnavailable_NothingRecorded_RedeliveryApplies()
    {
        var (user, customer) = await kit.CustomerAsync();
        var sub = kit.Subscribe(StripeIds.New("sub"), customer, user.UserId, "active", PremiumPrice, InAMonth);
        var payload = Event("checkout.session.completed", CompletedCheckout(customer, user.UserId, sub));
        var eventId = System.Text.Json.JsonDocument.Parse(payload).RootElement.GetProperty("id").GetString();

        kit.Stripe.Outage = true;
        (HttpStatusCode Status, System.Text.Json.JsonElement Body) during;
        try
        {
            during = await kit.DeliverAsync(payload);
        }
        finally
        {
            kit.Stripe.Outage = false;
        }
        var recordedDuring = await kit.CountAsync("SELECT count(*) FROM billing_events WHERE id = @eventId", new { eventId });
        var tierDuring = await kit.TierAsync(user.UserId);
        var after = await kit.DeliverAsync(payload);

        Assert.AreEqual(HttpStatusCode.ServiceUnavailable, during.Status, during.Body.ToString());
        Assert.AreEqual("billing_unavailable", during.Body.GetProperty("code").GetString());
        Assert.AreEqual(0, recordedDuring);
        Assert.AreEqual("free", tierDuring);
        Assert.AreEqual(HttpStatusCode.OK, after.Status);
        Assert.AreEqual("premium", await kit.TierAsync(user.UserId));
    }

    [TestMethod]
    public async Task UnknownCustomer_AndUnhandledType_RecordedOnce_NothingChanges()
    {
        var stranger = StripeIds.New("cus");
        var sub = StripeIds.New("sub");
        kit.Stripe.Subscriptions[sub] = Subscription(sub, stranger, Guid.NewGuid(), "active", PremiumPrice, InAMonth);
        kit.Stripe.Subscriptions[sub]["metadata"] = new System.Text.Json.Nodes.JsonObject();
        var users = await kit.CountAsync("SELECT count(*) FROM users WHERE tier <> 'free'");

        var unknown = await kit.DeliverAsync(Event("customer.subscription.created", kit.Stripe.Subscriptions[sub]));
        var other = await kit.DeliverAsync(Event("payment_intent.succeeded", new() { ["id"] = StripeIds.New("pi"), ["object"] = "payment_intent" }));

        Assert.AreEqual("unknown_customer", unknown.Body.GetProperty("outcome").GetString(), unknown.Body.ToString());
        Assert.AreEqual("ignored", other.Body.GetProperty("outcome").GetString());
        Assert.AreEqual(users, await kit.CountAsync("SELECT count(*) FROM users WHERE tier <> 'free'"));
        Assert.AreEqual(0, await kit.CountAsync("SELECT count(*) FROM billing_subscriptions WHERE id = @sub", new { sub }));
    }
}
