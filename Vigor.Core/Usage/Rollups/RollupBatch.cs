using System.Runtime.InteropServices;

namespace Vigor.Core.Usage.Rollups;

/// <summary>
/// The deltas of ledger rows in (<see cref="From"/>, <see cref="To"/>]: per window partition and scope row, summed in
/// memory. Its size is bounded by the number of distinct (window, scope) keys, not by the number of rows.
/// </summary>
internal sealed class RollupBatch(LedgerPosition from)
{
    private readonly ScopeKeyCache keys = new();
    private readonly List<string> scopes = new(5);

    public LedgerPosition From { get; } = from;

    public LedgerPosition To { get; private set; } = from;

    public long Rows { get; private set; }

    /// <summary>Scope rows (global, tier, provider, feature).</summary>
    public Dictionary<(string Partition, string Row), RollupTotals> Deltas { get; } = [];

    /// <summary>User bucket rows: each user's delta.</summary>
    public Dictionary<(string Partition, string Row), Dictionary<Guid, RollupTotals>> UserDeltas { get; } = [];

    /// <summary>Distinct keys held: what bounds the batch's memory.</summary>
    public int Keys => Deltas.Count + userKeys;

    private int userKeys;

    /// <summary>Names the batch in its markers: the same rows always make the same batch, with the same name.</summary>
    public string Id => $"{From}-{To}";

    public static RollupTotals DeltaOf(in LedgerRow row)
        => new(row.Attempt == 1 || row.CacheHit ? 1 : 0, row.CacheHit ? 0 : 1, row.InputTokens, row.OutputTokens, row.CostMicros);

    public void Add(LedgerRow row)
    {
        var (day, month) = keys.Windows(row.CreatedAt);
        keys.Scopes(row, scopes, withUser: false);
        var delta = DeltaOf(row);
        foreach (var scope in scopes)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(Deltas, (day, scope), out _) += delta;
            CollectionsMarshal.GetValueRefOrAddDefault(Deltas, (month, scope), out _) += delta;
        }
        if (row.UserId is { } userId)
        {
            var bucket = keys.UserBucket(userId);
            AddUser(day, bucket, userId, delta);
            AddUser(month, bucket, userId, delta);
        }
        To = row.Position;
        Rows++;
    }

    private void AddUser(string window, string bucket, Guid userId, RollupTotals delta)
    {
        ref var users = ref CollectionsMarshal.GetValueRefOrAddDefault(UserDeltas, (window, bucket), out _);
        users ??= [];
        CollectionsMarshal.GetValueRefOrAddDefault(users, userId, out var existed) += delta;
        if (!existed)
            userKeys++;
    }
}
