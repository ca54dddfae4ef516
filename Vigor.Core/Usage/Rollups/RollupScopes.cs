namespace Vigor.Core.Usage.Rollups;

/// <summary>The scopes a ledger row counts in: the whole app, its user, tier, provider and feature.</summary>
internal static class RollupScopes
{
    public const string Global = "global";

    public static string User(Guid userId) => "user:" + userId.ToString("N");

    public const string UserPrefix = "user:";

    /// <summary>
    /// Users are stored many to a row: <see cref="UserBuckets"/> rows per window, each holding its users' totals as one
    /// binary column. A backfill then writes a few hundred rows per window instead of one per user, which is what makes
    /// it fast (entity group transactions are per row count, not per byte).
    /// </summary>
    public const int UserBuckets = 256;

    public const string UserBucketPrefix = "users:";

    public static string UserBucket(Guid userId)
    {
        Span<byte> bytes = stackalloc byte[16];
        userId.TryWriteBytes(bytes);
        var hash = 17u;
        foreach (var b in bytes)
            hash = (hash * 31) + b;
        return UserBucketPrefix + ((hash ^ (hash >> 8) ^ (hash >> 16)) % UserBuckets).ToString("x2", System.Globalization.CultureInfo.InvariantCulture);
    }

    public static string Tier(string tier) => "tier:" + tier;

    /// <summary>A provider by id; rows without one (cache hits) count under their kind, <c>provider:cache</c>.</summary>
    public static string Provider(Guid providerId) => "provider:" + providerId.ToString("N");

    public static string ProviderKind(string kind) => "provider:" + kind;

    public static string Feature(string feature) => "feature:" + feature;

    public static string Day(DateOnly day) => UsageWindows.Day(new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));

    public static string Month(DateOnly day) => UsageWindows.Month(new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
}

/// <summary>Scope and window keys of ledger rows, each string made once per batch rather than once per row.</summary>
internal sealed class ScopeKeyCache
{
    private readonly Dictionary<DateOnly, (string Day, string Month)> windows = [];
    private readonly Dictionary<Guid, string> users = [];
    private readonly Dictionary<Guid, string> providers = [];
    private readonly Dictionary<Guid, string> buckets = [];
    private readonly Dictionary<string, string> tiers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> features = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> kinds = new(StringComparer.Ordinal);

    public string UserBucket(Guid userId) => Cached(buckets, userId, RollupScopes.UserBucket);

    public (string Day, string Month) Windows(DateTime createdAt)
    {
        var day = DateOnly.FromDateTime(createdAt.Kind == DateTimeKind.Local ? createdAt.ToUniversalTime() : createdAt);
        if (!windows.TryGetValue(day, out var keys))
            windows[day] = keys = (RollupScopes.Day(day), RollupScopes.Month(day));
        return keys;
    }

    /// <summary>Fills <paramref name="scopes"/> with the row's scopes (its user's only when <paramref name="withUser"/>).</summary>
    public void Scopes(in LedgerRow row, List<string> scopes, bool withUser = true)
    {
        scopes.Clear();
        scopes.Add(RollupScopes.Global);
        scopes.Add(Cached(tiers, row.Tier, RollupScopes.Tier));
        scopes.Add(Cached(features, row.Feature, RollupScopes.Feature));
        if (row.ProviderId is { } providerId)
            scopes.Add(Cached(providers, providerId, RollupScopes.Provider));
        else
            scopes.Add(Cached(kinds, row.ProviderKind, RollupScopes.ProviderKind));
        if (withUser && row.UserId is { } userId)
            scopes.Add(Cached(users, userId, RollupScopes.User));
    }

    private static string Cached<T>(Dictionary<T, string> cache, T value, Func<T, string> make)
        where T : notnull
    {
        if (!cache.TryGetValue(value, out var key))
            cache[value] = key = make(value);
        return key;
    }
}
