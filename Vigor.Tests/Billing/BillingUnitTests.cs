using System.ComponentModel.DataAnnotations;
using System.Text;
using Vigor.Core.Billing;
using static Vigor.Tests.Billing.StripeEvents;

namespace Vigor.Tests.Billing;

/// <summary>The pure parts: the signature check against Stripe.net's own, the tier rules, and the options' validation.</summary>
[TestClass]
public sealed class BillingUnitTests
{
    private const string Secret = "whsec_unit";
    private static readonly DateTime Now = new(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc);

    [TestMethod]
    public void TestSigner_IsStripesScheme_StripeNetAcceptsIt_AndSoDoesOurCheck()
    {
        var payload = Event("invoice.paid", Invoice("cus_1", "sub_1", "paid", 1));
        var header = SignatureHeader(payload, Secret);

        Stripe.EventUtility.ValidateSignature(payload, header, Secret);
        var stripeNetHeader = Stripe.EventUtility.GenerateSignatureHeader(payload, Secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds());

        Assert.IsNull(StripeSignature.Check(Encoding.UTF8.GetBytes(payload), header, Secret, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        Assert.IsNull(StripeSignature.Check(Encoding.UTF8.GetBytes(payload), stripeNetHeader, Secret, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
    }

    [TestMethod]
    public void Check_AnyOfSeveralV1Signatures_Matches()
    {
        var payload = "{\"id\":\"evt_1\"}"u8.ToArray();
        var now = DateTimeOffset.UtcNow;
        var good = SignatureHeader(Encoding.UTF8.GetString(payload), Secret, now);
        var rolled = $"{good.Split(',')[0]},v1={new string('0', 64)},{good.Split(',')[1]}";

        Assert.IsNull(StripeSignature.Check(payload, rolled, Secret, now, TimeSpan.FromMinutes(5)));
        Assert.IsNotNull(StripeSignature.Check(payload, good, Secret + "x", now, TimeSpan.FromMinutes(5)));
    }

    private static StoredSubscription Sub(string status, string? tier = "premium", int? priority = 1, DateTime? periodEnd = null,
        bool cancelAtPeriodEnd = false, DateTime? cancelAt = null, DateTime? pastDueSince = null)
        => new("sub_1", status, tier, priority, periodEnd ?? Now.AddDays(20), cancelAtPeriodEnd, cancelAt, pastDueSince);

    [TestMethod]
    [DataRow("active", "premium")]
    [DataRow("trialing", "premium")]
    [DataRow("unpaid", "free")]
    [DataRow("canceled", "free")]
    [DataRow("incomplete", "free")]
    [DataRow("incomplete_expired", "free")]
    [DataRow("paused", "free")]
    public void TierAt_ByStatus(string status, string tier)
        => Assert.AreEqual(tier, Entitlement.TierAt([Sub(status)], Now, TimeSpan.FromDays(7)));

    [TestMethod]
    public void TierAt_CancellationAndGrace_EndOnTime()
    {
        var grace = TimeSpan.FromDays(7);
        var cancelling = Sub("active", periodEnd: Now.AddHours(1), cancelAtPeriodEnd: true);
        var cancelAt = Sub("active", cancelAt: Now.AddHours(2));
        var pastDue = Sub("past_due", pastDueSince: Now.AddDays(-6));

        Assert.AreEqual("premium", Entitlement.TierAt([cancelling], Now, grace));
        Assert.AreEqual("free", Entitlement.TierAt([cancelling], Now.AddHours(1), grace));
        Assert.AreEqual("premium", Entitlement.TierAt([cancelAt], Now.AddHours(1), grace));
        Assert.AreEqual("free", Entitlement.TierAt([cancelAt], Now.AddHours(2), grace));
        Assert.AreEqual("premium", Entitlement.TierAt([pastDue], Now, grace));
        Assert.AreEqual("free", Entitlement.TierAt([pastDue], Now.AddDays(1), grace));
        Assert.AreEqual("free", Entitlement.TierAt([Sub("past_due")], Now, grace), "past_due without a start of grace pays nothing");
    }

    [TestMethod]
    public void TierAt_BestPayingTierWins_UnknownTierPaysNothing()
    {
        var subs = new[] { Sub("active"), Sub("active", tier: "unlimited", priority: 2), Sub("active", tier: "gold", priority: null), Sub("canceled", tier: "unlimited", priority: 2) };

        Assert.AreEqual("unlimited", Entitlement.TierAt(subs, Now, TimeSpan.Zero));
        Assert.AreEqual("premium", Entitlement.TierAt(subs[..1].Concat(subs[2..]), Now, TimeSpan.Zero));
        Assert.AreEqual("free", Entitlement.TierAt([], Now, TimeSpan.Zero));
    }

    [TestMethod]
    [DataRow("Prices:free", "price_1")]
    [DataRow("Prices:premium", "prod_1")]
    [DataRow("SuccessUrl", "/relative")]
    [DataRow("ApiBase", "ftp://stripe")]
    [DataRow("GracePeriod", "90.00:00:00")]
    public void Options_Invalid_MessageNamesTheSetting(string setting, string value)
    {
        var options = new BillingOptions();
        switch (setting.Split(':'))
        {
            case ["Prices", var tier]: options.Prices[tier] = value; break;
            case ["SuccessUrl"]: options.SuccessUrl = value; break;
            case ["ApiBase"]: options.ApiBase = value; break;
            default: options.GracePeriod = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
        }

        var errors = options.Validate(new ValidationContext(options)).ToList();

        Assert.HasCount(1, errors);
        StringAssert.Contains(errors[0].ErrorMessage, $"'Billing:{setting}'");
    }

    [TestMethod]
    public void Options_EmptyValuesMeanUnset_AndPricesMapBothWays()
    {
        var options = new BillingOptions { SuccessUrl = "", CancelUrl = " " };
        options.Prices["premium"] = "price_new, price_old";
        options.Prices["unlimited"] = "";

        Assert.IsEmpty(options.Validate(new ValidationContext(options)).ToList());
        Assert.IsNull(options.SuccessUrl);
        Assert.AreEqual("price_new", options.PriceIds("premium").First());
        Assert.AreEqual("premium", options.TierOfPrice("price_old"));
        Assert.IsNull(options.TierOfPrice("price_other"));
        Assert.IsFalse(options.PriceIds("unlimited").Any());
    }
}
