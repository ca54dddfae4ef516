using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;

namespace Vigor.Core.Usage.Rollups;

/// <summary>A rollup row as last read or written: its totals (or its users' totals, for a user bucket row) and ETag.</summary>
internal readonly record struct RollupRowState(RollupTotals Totals, IReadOnlyDictionary<Guid, RollupTotals>? Users, ETag ETag)
{
    public static RollupRowState Of(TableEntity entity) => RollupEntity.IsUserBucket(entity.RowKey)
        ? new(default, RollupEntity.Users(entity), entity.ETag)
        : new(RollupEntity.Totals(entity), null, entity.ETag);

    /// <summary>What the row weighs in the cache's bound: one, plus its users.</summary>
    public int Weight => 1 + (Users?.Count ?? 0);
}

/// <summary>
/// What one rollup run last read or wrote per rollup row, so a row touched by many batches is read once. Only a hint:
/// every write is conditional on the cached ETag (or on the row not existing), and a row someone else changed is
/// forgotten and read again. Bounded: partitions the coming batch does not touch are dropped, least recently used first.
/// </summary>
internal sealed class RollupCache(int maxRows = 100_000)
{
    // More unknown rows of a partition than this are read as one paged query of the whole partition (a backfill, whose
    // partitions are new and small) instead of one point read each (steady state: a few rows per run).
    private const int WholePartitionAbove = 256;
    private const int PointReadParallelism = 16;

    private readonly Dictionary<string, Partition> partitions = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private long batch;
    private int rows;

    /// <summary>Whether the cache knows <paramref name="row"/>; <paramref name="state"/> is null when it does not exist yet.</summary>
    public bool TryGet(string partition, string row, out RollupRowState? state)
    {
        lock (gate)
        {
            state = null;
            if (!partitions.TryGetValue(partition, out var cached))
                return false;
            if (cached.Rows.TryGetValue(row, out state))
                return true;
            return cached.Complete;
        }
    }

    /// <summary>Makes every row of <paramref name="needed"/> known, reading what the cache does not know.</summary>
    public async Task LoadAsync(TableClient client, string partition, IReadOnlyList<string> needed, CancellationToken ct)
    {
        var unknown = needed.Where(r => !TryGet(partition, r, out _)).ToList();
        if (unknown.Count > WholePartitionAbove)
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey lt {"~"}");
            var all = new List<TableEntity>();
            await foreach (var entity in client.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: RollupEntity.Columns, cancellationToken: ct))
                all.Add(entity);
            lock (gate)
            {
                var cached = Touch(partition);
                foreach (var entity in all)
                    Set(cached, entity.RowKey, RollupRowState.Of(entity));
                cached.Complete = true;
            }
            return;
        }
        var found = new ConcurrentDictionary<string, RollupRowState?>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(unknown, new ParallelOptions { MaxDegreeOfParallelism = PointReadParallelism, CancellationToken = ct }, async (row, token) =>
        {
            var entity = await client.GetEntityIfExistsAsync<TableEntity>(partition, row, RollupEntity.Columns, token);
            found[row] = entity.HasValue ? RollupRowState.Of(entity.Value!) : null;
        });
        lock (gate)
        {
            var cached = Touch(partition);
            foreach (var (row, state) in found)
                Set(cached, row, state);
        }
    }

    /// <summary>Records a row this run wrote; without its new ETag the row is forgotten instead.</summary>
    public void Store(string partition, string row, RollupTotals totals, IReadOnlyDictionary<Guid, RollupTotals>? users, ETag? etag)
    {
        if (etag is { } known)
        {
            lock (gate)
                Set(Touch(partition), row, new RollupRowState(totals, users, known));
        }
        else
        {
            Forget(partition, [row]);
        }
    }

    public void Forget(string partition, IEnumerable<string> stale)
    {
        lock (gate)
        {
            if (!partitions.TryGetValue(partition, out var cached))
                return;
            cached.Complete = false;
            foreach (var row in stale)
            {
                if (cached.Rows.Remove(row, out var state))
                    rows -= Weight(state);
            }
        }
    }

    /// <summary>Starts a batch: while over its size, drops the least recently used partitions the batch does not need.</summary>
    public void NextBatch(IReadOnlySet<string> needed)
    {
        lock (gate)
        {
            batch++;
            if (rows <= maxRows)
                return;
            foreach (var (name, cached) in partitions.Where(p => !needed.Contains(p.Key)).OrderBy(p => p.Value.LastUsed).ToList())
            {
                partitions.Remove(name);
                rows -= cached.Rows.Values.Sum(Weight);
                if (rows <= maxRows)
                    break;
            }
        }
    }

    private Partition Touch(string partition)
    {
        if (!partitions.TryGetValue(partition, out var cached))
            partitions[partition] = cached = new Partition();
        cached.LastUsed = batch;
        return cached;
    }

    private void Set(Partition cached, string row, RollupRowState? state)
    {
        if (cached.Rows.Remove(row, out var previous))
            rows -= Weight(previous);
        cached.Rows[row] = state;
        rows += Weight(state);
    }

    private static int Weight(RollupRowState? state) => state?.Weight ?? 1;

    private sealed class Partition
    {
        /// <summary>Known rows; null: known not to exist.</summary>
        public Dictionary<string, RollupRowState?> Rows { get; } = new(StringComparer.Ordinal);

        /// <summary>The whole partition was read: a row missing from <see cref="Rows"/> does not exist.</summary>
        public bool Complete { get; set; }

        public long LastUsed { get; set; }
    }
}
