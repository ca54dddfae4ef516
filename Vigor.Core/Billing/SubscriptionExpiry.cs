using Microsoft.Extensions.Logging;

namespace Vigor.Core.Billing;

/// <summary>
/// The hourly timer's work: a subscription cancelled at period end, or past_due beyond the grace period, sends no
/// event when that time comes, so the tiers it paid for are recomputed here once the time has passed.
/// </summary>
internal sealed class SubscriptionExpiry(BillingLedger ledger, TimeProvider time, ILogger<SubscriptionExpiry> logger)
{
    public sealed record Run(int Checked, int Changed);

    public async Task<Run> RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var users = await ledger.ExpiryCandidatesAsync(now, ct);
        var changed = 0;
        foreach (var user in users)
        {
            if (await ledger.ExpireAsync(user, now, ct) == BillingOutcomes.TierChanged)
                changed++;
        }
        BillingLog.Expired(logger, users.Count, changed);
        return new Run(users.Count, changed);
    }
}
