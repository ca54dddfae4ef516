using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Vigor.Core.Infrastructure.Storage;

namespace Vigor.Core.Usage;

/// <summary>One counter change: add <paramref name="Delta"/> to row <paramref name="Row"/>; refused when a positive delta would pass <paramref name="Limit"/>.</summary>
public sealed record CounterDelta(string Row, long Delta, long? Limit = null);

/// <summary>
/// Exact counters in Table Storage. All changes of one call live in one partition and are written as one entity
/// group transaction with ETag conditions, together with a marker row for the operation key: the whole change
/// applies once or not at all, limits hold however many writers race (a lost race re-reads and retries), and a
/// repeated operation (an activity run twice) is a no-op.
/// <para>
/// Within one process, calls on the same partition are group-committed: while one transaction is in flight, the
/// calls that arrive queue up, and the next transaction evaluates them in arrival order against one read and writes
/// the final values with one marker per applied call. A burst of 200 requests on one user (or every reservation on
/// the global budget) costs a few round trips instead of 200 rounds of lost ETag races. Across processes the ETags
/// still decide; a lost race re-reads and re-evaluates the whole group.
/// </para>
/// </summary>
public sealed class CounterStore(TableServiceClient service, IOptions<StorageOptions> options, TimeProvider time) : ICounterStore
{
    public const string CountColumn = "Count";
    private const int MaxAttempts = 50;

    /// <summary>An entity group transaction holds at most 100 entities: counter rows plus one marker per call.</summary>
    private const int MaxEntitiesPerTransaction = 100;

    private readonly ConcurrentDictionary<string, PartitionQueue> queues = new(StringComparer.Ordinal);

    private readonly Lazy<Task<TableClient>> table = new(async () =>
    {
        var client = service.GetTableClient(options.Value.TablePrefix + "counters");
        await client.CreateIfNotExistsAsync();
        return client;
    });

    public async Task<CounterResult> ApplyAsync(string partition, string operation, IReadOnlyList<CounterDelta> deltas, CancellationToken ct)
        => (await TryApplyAsync(partition, operation, deltas, ct)).Result;

    /// <summary>
    /// As <see cref="ApplyAsync"/>, also naming the row whose limit refused the change. A caller that gives up
    /// (<paramref name="ct"/>) may still see its change applied, as with any write whose answer is lost; the
    /// operation key makes the retry a no-op.
    /// </summary>
    public Task<(CounterResult Result, string? LimitRow)> TryApplyAsync(string partition, string operation, IReadOnlyList<CounterDelta> deltas, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var call = new PendingCall("op:" + operation, deltas);
        while (true)
        {
            var queue = queues.GetOrAdd(partition, static p => new PartitionQueue(p));
            bool lead;
            lock (queue)
            {
                if (queue.Retired)
                    continue;
                queue.Pending.Enqueue(call);
                lead = !queue.Draining;
                queue.Draining = true;
            }
            if (lead)
                _ = Task.Run(() => DrainAsync(queue), CancellationToken.None);
            return call.Completion.Task.WaitAsync(ct);
        }
    }

    public async Task<IReadOnlyDictionary<string, long>> GetAsync(string partition, IEnumerable<string> rows, CancellationToken ct)
    {
        var client = await table.Value;
        var read = await ReadAsync(client, partition, rows, ct);
        return read.ToDictionary(e => e.Key, e => e.Value.GetInt64(CountColumn) ?? 0);
    }

    /// <summary>Deletes operation markers older than <paramref name="age"/>; counters stay.</summary>
    public async Task<int> PurgeMarkersAsync(TimeSpan age, CancellationToken ct)
    {
        var client = await table.Value;
        var cutoff = time.GetUtcNow() - age;
        var deleted = 0;
        var filter = TableClient.CreateQueryFilter($"RowKey ge {"op:"} and RowKey lt {"op;"} and Timestamp lt {cutoff}");
        await foreach (var entity in client.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: ct))
        {
            await client.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, ETag.All, ct);
            deleted++;
        }
        return deleted;
    }

    private static async Task<Dictionary<string, TableEntity>> ReadAsync(TableClient client, string partition, IEnumerable<string> rows, CancellationToken ct)
    {
        // Point reads in parallel: one round trip of wall time (a $filter allows at most 15 comparisons).
        var reads = rows.Distinct(StringComparer.Ordinal)
            .Select(async row => (row, entity: await client.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: ct)))
            .ToList();
        var result = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        foreach (var (row, entity) in await Task.WhenAll(reads))
        {
            if (entity.HasValue)
                result[row] = entity.Value!;
        }
        return result;
    }

    private async Task DrainAsync(PartitionQueue queue)
    {
        while (true)
        {
            List<PendingCall> group;
            lock (queue)
            {
                if (queue.Pending.Count == 0)
                {
                    queue.Draining = false;
                    queue.Retired = true;
                    queues.TryRemove(new KeyValuePair<string, PartitionQueue>(queue.Partition, queue));
                    return;
                }
                group = TakeGroup(queue.Pending);
            }
            try
            {
                await CommitAsync(queue.Partition, group);
            }
            catch (Exception e)
            {
                foreach (var call in group)
                    call.Completion.TrySetException(e);
            }
        }
    }

    /// <summary>Takes calls in arrival order while their rows and markers fit one transaction.</summary>
    private static List<PendingCall> TakeGroup(Queue<PendingCall> pending)
    {
        var group = new List<PendingCall>();
        var rows = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryPeek(out var next))
        {
            var extra = next.Deltas.Count(d => !rows.Contains(d.Row));
            if (group.Count > 0 && rows.Count + extra + group.Count + 1 > MaxEntitiesPerTransaction)
                break;
            group.Add(pending.Dequeue());
            rows.UnionWith(next.Deltas.Select(d => d.Row));
        }
        return group;
    }

    private async Task CommitAsync(string partition, List<PendingCall> group)
    {
        var client = await table.Value;
        var rows = group.SelectMany(c => c.Deltas.Select(d => d.Row)).Concat(group.Select(c => c.Marker)).Distinct(StringComparer.Ordinal).ToList();
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await ReadAsync(client, partition, rows, CancellationToken.None);
            var values = new Dictionary<string, long>(StringComparer.Ordinal);
            var touched = new HashSet<string>(StringComparer.Ordinal);
            var appliedMarkers = new HashSet<string>(StringComparer.Ordinal);
            var outcomes = new (CounterResult Result, string? LimitRow)[group.Count];
            for (var i = 0; i < group.Count; i++)
            {
                var call = group[i];
                if (current.ContainsKey(call.Marker) || appliedMarkers.Contains(call.Marker))
                {
                    outcomes[i] = (CounterResult.AlreadyApplied, null);
                    continue;
                }
                outcomes[i] = Evaluate(call, current, values);
                if (outcomes[i].Result != CounterResult.Applied)
                    continue;
                foreach (var delta in call.Deltas)
                    values[delta.Row] = Math.Max(0, Value(delta.Row, current, values) + delta.Delta);
                touched.UnionWith(call.Deltas.Select(d => d.Row));
                appliedMarkers.Add(call.Marker);
            }
            if (appliedMarkers.Count > 0)
            {
                var actions = new List<TableTransactionAction>();
                foreach (var row in touched)
                {
                    var updated = new TableEntity(partition, row) { [CountColumn] = values[row] };
                    actions.Add(current.TryGetValue(row, out var entity)
                        ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, updated, entity.ETag)
                        : new TableTransactionAction(TableTransactionActionType.Add, updated));
                }
                var appliedAt = time.GetUtcNow();
                actions.AddRange(appliedMarkers.Select(m => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, m) { ["AppliedAt"] = appliedAt })));
                try
                {
                    await client.SubmitTransactionAsync(actions, CancellationToken.None);
                }
                catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
                {
                    // Another process got there first (or created the same row): read again and re-evaluate the group.
                    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 + attempt * 4)), CancellationToken.None);
                    continue;
                }
            }
            for (var i = 0; i < group.Count; i++)
                group[i].Completion.TrySetResult(outcomes[i]);
            return;
        }
        throw new InvalidOperationException($"Counter partition '{partition}' stayed contended for {MaxAttempts} attempts.");
    }

    /// <summary>Whether every positive delta of the call stays within its limit after the calls before it in the group.</summary>
    private static (CounterResult Result, string? LimitRow) Evaluate(PendingCall call, Dictionary<string, TableEntity> current, Dictionary<string, long> values)
    {
        foreach (var delta in call.Deltas)
        {
            if (delta.Delta > 0 && delta.Limit is { } limit && Value(delta.Row, current, values) + delta.Delta > limit)
                return (CounterResult.LimitReached, delta.Row);
        }
        return (CounterResult.Applied, null);
    }

    private static long Value(string row, Dictionary<string, TableEntity> current, Dictionary<string, long> values)
        => values.TryGetValue(row, out var value) ? value
            : current.TryGetValue(row, out var entity) ? entity.GetInt64(CountColumn) ?? 0 : 0;

    private sealed class PendingCall(string marker, IReadOnlyList<CounterDelta> deltas)
    {
        public string Marker { get; } = marker;

        public IReadOnlyList<CounterDelta> Deltas { get; } = deltas;

        public TaskCompletionSource<(CounterResult Result, string? LimitRow)> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class PartitionQueue(string partition)
    {
        public string Partition { get; } = partition;

        public Queue<PendingCall> Pending { get; } = new();

        public bool Draining { get; set; }

        public bool Retired { get; set; }
    }
}
