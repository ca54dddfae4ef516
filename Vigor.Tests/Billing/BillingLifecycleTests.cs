using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Vigor.Core.Billing;
using static Vigor.Tests.Billing.StripeEvents;

namespace Vigor.Tests.Billing;

/// <summary>
/// Time-driven tier changes: a cancellation at period end and a failed renewal's grace period send no event when
/// they run out, so the expiry timer's work ends them. It runs here with a fake clock, and once through the host.
/// </summary>
[TestClass]
public sealed class BillingLifecycleTests
{
    private static BillingTestKit kit = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _ = context;
        kit = await BillingTestKit.StartAsync("billinglife");
    }

    [ClassCleanup]
    public static async Task StopAsync() => await kit.DisposeAsync();

    private static Task<SubscriptionExpiry.Run> ExpireAtAsync(DateTimeOffset at)
        => ActivatorUtilities.CreateInstance<SubscriptionExpiry>(kit.Host.Services, (TimeProvider)new FakeTimeProvider(at)).RunAsync(CancellationToken.None);

    private static async Task<(Guid User, string Customer, string Sub)> PremiumSubscriberAsync(DateTimeOffset periodEnd)
    {
        var (user, customer) = await kit.CustomerAsync();
        var sub = kit.Subscribe(StripeIds.New("sub"), customer, user.UserId, "active", PremiumPrice, periodEnd);
        var (status, body) = await kit.DeliverAsync(Event("customer.subscription.created", Subscription(sub, customer, user.UserId, "active", PremiumPrice, periodEnd)));
        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        Assert.AreEqual("premium", await kit.TierAsync(user.UserId));
        return (user.UserId, customer, sub);
    }

    [TestMethod]
    public async Task CancelAtPeriodEnd_TierKeptUntilPeriodEnd_ThenFree()
    {
        var periodEnd = DateTimeOffset.UtcNow.AddDays(10);
        var (user, customer, sub) = await PremiumSubscriberAsync(periodEnd);
        kit.Subscribe(sub, customer, user, "active", PremiumPrice, periodEnd, cancelAtPeriodEnd: true);

        var cancelled = await kit.DeliverAsync(Event("customer.subscription.updated",
            Subscription(sub, customer, user, "active", PremiumPrice, periodEnd, cancelAtPeriodEnd: true), previous: new() { ["cancel_at_period_end"] = false }));
        var tierAfterCancel = await kit.TierAsync(user);
        await ExpireAtAsync(periodEnd.AddHours(-1));
        var tierBeforeEnd = await kit.TierAsync(user);
        await ExpireAtAsync(periodEnd.AddMinutes(1));
        var tierAfterEnd = await kit.TierAsync(user);
        kit.Subscribe(sub, customer, user, "canceled", PremiumPrice, periodEnd);
        var deleted = await kit.DeliverAsync(Event("customer.subscription.deleted", Subscription(sub, customer, user, "canceled", PremiumPrice, periodEnd)));

        Assert.AreEqual("applied", cancelled.Body.GetProperty("outcome").GetString());
        Assert.AreEqual("premium", tierAfterCancel);
        Assert.AreEqual("premium", tierBeforeEnd);
        Assert.AreEqual("free", tierAfterEnd);
        Assert.AreEqual("applied", deleted.Body.GetProperty("outcome").GetString());
        Assert.AreEqual("free", await kit.TierAsync(user));
        CollectionAssert.AreEqual(new[] { ("free", "premium"), ("premium", "free") }, await kit.TierChangesAsync(user));
    }

    [TestMethod]
    public async Task PaymentFailed_GracePeriodThenFree_PaidInvoiceRestores()
    {
        var start = DateTimeOffset.UtcNow;
        var (user, customer, sub) = await PremiumSubscriberAsync(start.AddDays(30));
        kit.Subscribe(sub, customer, user, "past_due", PremiumPrice, start.AddDays(30));

        var failed = await kit.DeliverAsync(Event("invoice.payment_failed", Invoice(customer, sub, "open", attempts: 1)));
        var since = await PastDueSinceAsync(sub);
        await kit.DeliverAsync(Event("invoice.payment_failed", Invoice(customer, sub, "open", attempts: 2)));
        var sinceAfterRetry = await PastDueSinceAsync(sub);
        var tierInGrace = await kit.TierAsync(user);
        await ExpireAtAsync(start.AddDays(6));
        var tierDaySix = await kit.TierAsync(user);
        var expired = await ExpireAtAsync(since!.Value.AddDays(7).AddMinutes(1));
        var tierAfterGrace = await kit.TierAsync(user);
        kit.Subscribe(sub, customer, user, "active", PremiumPrice, start.AddDays(30));
        await kit.DeliverAsync(Event("invoice.paid", Invoice(customer, sub, "paid", attempts: 3)));

        Assert.AreEqual("applied", failed.Body.GetProperty("outcome").GetString(), failed.Body.ToString());
        Assert.IsNotNull(since);
        Assert.AreEqual(since, sinceAfterRetry, "a second failed attempt does not restart the grace period");
        Assert.AreEqual("premium", tierInGrace);
        Assert.AreEqual("premium", tierDaySix);
        Assert.IsGreaterThanOrEqualTo(1, expired.Changed);
        Assert.AreEqual("free", tierAfterGrace);
        Assert.AreEqual("premium", await kit.TierAsync(user));
        Assert.IsNull(await PastDueSinceAsync(sub));
        CollectionAssert.AreEqual(new[] { ("free", "premium"), ("premium", "free"), ("free", "premium") }, await kit.TierChangesAsync(user));
    }

    [TestMethod]
    public async Task ExpireSubscriptions_TimerThroughTheHost_EndsAPassedPeriod()
    {
        var periodEnd = DateTimeOffset.UtcNow.AddDays(3);
        var (user, customer, sub) = await PremiumSubscriberAsync(periodEnd);
        kit.Subscribe(sub, customer, user, "active", PremiumPrice, periodEnd, cancelAtPeriodEnd: true);
        await kit.DeliverAsync(Event("customer.subscription.updated", Subscription(sub, customer, user, "active", PremiumPrice, periodEnd, cancelAtPeriodEnd: true)));
        var kept = await kit.TierAsync(user);
        await using (var conn = new NpgsqlConnection(kit.Host.ConnectionString))
            await conn.ExecuteAsync("UPDATE billing_subscriptions SET cancel_at = now() - interval '1 minute' WHERE id = @sub", new { sub });

        var response = await kit.Host.Client.PostAsync("/admin/functions/ExpireSubscriptions", null);

        Assert.AreEqual("premium", kept);
        Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode);
        Assert.AreEqual("free", await kit.TierAsync(user));
    }

    private static async Task<DateTime?> PastDueSinceAsync(string sub)
    {
        await using var conn = new NpgsqlConnection(kit.Host.ConnectionString);
        return await conn.ExecuteScalarAsync<DateTime?>("SELECT past_due_since FROM billing_subscriptions WHERE id = @sub", new { sub });
    }
}
