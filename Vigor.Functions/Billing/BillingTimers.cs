using Microsoft.Azure.Functions.Worker;
using Vigor.Core.Billing;

namespace Vigor.Functions.Billing;

internal sealed class BillingTimers(SubscriptionExpiry expiry)
{
    [Function(nameof(ExpireSubscriptions))]
    public async Task ExpireSubscriptions([TimerTrigger("%Timers:BillingExpirySchedule%")] TimerInfo timer, CancellationToken ct)
        => await expiry.RunAsync(ct);
}
