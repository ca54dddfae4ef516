using Azure.Data.Tables;

namespace Vigor.Core.Usage.Rollups;

/// <summary>
/// Adds a batch's deltas to the rollup rows. Per partition (window), the batch's rows are sorted and cut into chunks
/// of 99; each chunk is one entity group transaction: a marker row named after the batch and chunk, plus each row's
/// new totals conditional on its ETag (or on not existing yet). A chunk therefore applies entirely or not at all, and
/// at most once: a chunk whose marker exists was applied before (a run that crashed, or a concurrent one).
/// </summary>
internal sealed class RollupWriter(RollupTable table, TimeProvider time)
{
    // Entity group transactions hold at most 100 actions (the marker and 99 rows) and 4 MiB: user bucket rows weigh up to
    // ~300 KiB each on the wire (RollupEntity.MaxUsersPerBucket), so they go 10 to a transaction.
    public const int RowsPerTransaction = 99;
    public const int BucketsPerTransaction = 10;
    private const int MaxAttempts = 20;

    public async Task ApplyAsync(RollupBatch batch, RollupCache cache, int parallelism, Func<CancellationToken, Task>? afterChunk, CancellationToken ct)
    {
        var client = await table.GetAsync();
        // Chunks depend on the batch alone (sorted rows, fixed sizes), so a rerun of the batch makes the same chunks and markers.
        var scopeRows = batch.Deltas.Select(d => (d.Key.Partition, Row: new RowDelta(d.Key.Row, d.Value, null)));
        var bucketRows = batch.UserDeltas.Select(d => (d.Key.Partition, Row: new RowDelta(d.Key.Row, default, d.Value)));
        var partitions = scopeRows.Concat(bucketRows)
            .GroupBy(d => d.Partition, StringComparer.Ordinal)
            .Select(g => (Partition: g.Key, Rows: g.Select(d => d.Row).OrderBy(r => r.Row, StringComparer.Ordinal).ToList()))
            .ToList();
        cache.NextBatch(partitions.Select(p => p.Partition).ToHashSet(StringComparer.Ordinal));
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct };
        await Parallel.ForEachAsync(partitions, options, (p, token) => new ValueTask(cache.LoadAsync(client, p.Partition, p.Rows.ConvertAll(r => r.Row), token)));

        var chunks = partitions.SelectMany(p =>
            p.Rows.Where(r => r.Users is null).Chunk(RowsPerTransaction).Select((rows, i) => (p.Partition, Marker: $"~op:{batch.Id}:s{i}", Rows: rows))
                .Concat(p.Rows.Where(r => r.Users is not null).Chunk(BucketsPerTransaction).Select((rows, i) => (p.Partition, Marker: $"~op:{batch.Id}:u{i}", Rows: rows))));
        await Parallel.ForEachAsync(chunks, options, async (chunk, token) =>
        {
            await ApplyChunkAsync(client, cache, chunk.Partition, chunk.Marker, chunk.Rows, batch.To, token);
            if (afterChunk is not null)
                await afterChunk(token);
        });
    }

    private async Task ApplyChunkAsync(
        TableClient client, RollupCache cache, string partition, string marker, RowDelta[] rows, LedgerPosition through, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var actions = new List<TableTransactionAction>(rows.Length + 1)
            {
                new(TableTransactionActionType.Add, new TableEntity(partition, marker) { ["AppliedAt"] = time.GetUtcNow() }),
            };
            var totals = new RollupTotals[rows.Length];
            var users = new Dictionary<Guid, RollupTotals>?[rows.Length];
            for (var i = 0; i < rows.Length; i++)
            {
                if (!cache.TryGet(partition, rows[i].Row, out var state))
                    throw new InvalidOperationException($"Rollup row {partition}/{rows[i].Row} was not loaded.");
                TableEntity entity;
                if (rows[i].Users is { } delta)
                {
                    var merged = new Dictionary<Guid, RollupTotals>(state?.Users ?? new Dictionary<Guid, RollupTotals>());
                    foreach (var (user, change) in delta)
                        merged[user] = merged.GetValueOrDefault(user) + change;
                    users[i] = merged;
                    entity = RollupEntity.CreateUsers(partition, rows[i].Row, merged, through);
                }
                else
                {
                    totals[i] = (state?.Totals ?? default) + rows[i].Delta;
                    entity = RollupEntity.Create(partition, rows[i].Row, totals[i], through);
                }
                actions.Add(state is { } current
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, current.ETag)
                    : new TableTransactionAction(TableTransactionActionType.Add, entity));
            }
            try
            {
                var responses = (await client.SubmitTransactionAsync(actions, ct)).Value;
                for (var i = 0; i < rows.Length; i++)
                    cache.Store(partition, rows[i].Row, totals[i], users[i], responses.Count == actions.Count ? responses[i + 1].Headers.ETag : null);
                return;
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
            {
                // The marker exists (applied before), or a row changed since it was read: either way read again.
                var names = rows.Select(r => r.Row).ToList();
                cache.Forget(partition, names);
                if ((await client.GetEntityIfExistsAsync<TableEntity>(partition, marker, ["RowKey"], ct)).HasValue)
                    return;
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 + attempt * 10)), ct);
                await cache.LoadAsync(client, partition, names, ct);
            }
        }
        throw new InvalidOperationException($"Rollup partition '{partition}' stayed contended for {MaxAttempts} attempts.");
    }

    /// <summary>A row's change: totals for a scope row, or per-user totals for a user bucket row.</summary>
    private sealed record RowDelta(string Row, RollupTotals Delta, Dictionary<Guid, RollupTotals>? Users);
}
