using Microsoft.Extensions.Options;
using Vigor.Core.Infrastructure.Caching;

namespace Vigor.Core.Usage;

public sealed class UsageCacheOptions
{
    public const string Section = "Usage";

    /// <summary>Keep each user's <c>me/usage</c> answer until their usage, tier or the tier catalogue changes (UsageCache); false reads every request.</summary>
    public bool Cache { get; set; } = true;
}

/// <summary>
/// Each user's <c>GET me/usage</c> answer, exact (<see cref="ExactUserCache{T}"/>): the ledger writer, the admin tier
/// change and the tier catalogue edit invalidate in process after their commits, and the triggers of migration 0014
/// notify <see cref="UsageChannel"/> at commit for changes made anywhere (the usage totals, a user's tier; any change to
/// the catalogue sends <c>*</c>, which empties every instance's cache). An answer is right until the next UTC midnight,
/// when the day's window (and maybe the week's and month's) starts again.
/// </summary>
internal sealed class UsageCache(TimeProvider time, IOptions<UsageCacheOptions> options)
    : ExactUserCache<UsageReport>(time, UsageChannel, options.Value.Cache, TimeSpan.FromMinutes(10))
{
    public const string UsageChannel = "vigor_user_usage";
}
