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
/// </summary>
public sealed class CounterStore(TableServiceClient service, IOptions<StorageOptions> options, TimeProvider time)
{
    public const string CountColumn = "Count";
    private const int MaxAttempts = 50;

    private readonly Lazy<Task<TableClient>> table = new(async () =>
    {
        var client = service.GetTableClient(options.Value.TablePrefix + "counters");
        await client.CreateIfNotExistsAsync();
        return client;
    });

    public enum Result { Applied, AlreadyApplied, LimitReached }

    public async Task<Result> ApplyAsync(string partition, string operation, IReadOnlyList<CounterDelta> deltas, CancellationToken ct)
        => (await TryApplyAsync(partition, operation, deltas, ct)).Result;

    /// <summary>As <see cref="ApplyAsync"/>, also naming the row whose limit refused the change.</summary>
    public async Task<(Result Result, string? LimitRow)> TryApplyAsync(string partition, string operation, IReadOnlyList<CounterDelta> deltas, CancellationToken ct)
    {
        var client = await table.Value;
        var marker = "op:" + operation;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await Exists(client, partition, marker, ct))
                return (Result.AlreadyApplied, null);
            var current = await ReadAsync(client, partition, deltas.Select(d => d.Row), ct);
            var actions = new List<TableTransactionAction>();
            foreach (var delta in deltas)
            {
                current.TryGetValue(delta.Row, out var entity);
                var value = (entity?.GetInt64(CountColumn) ?? 0) + delta.Delta;
                if (delta.Delta > 0 && delta.Limit is { } limit && value > limit)
                    return (Result.LimitReached, delta.Row);
                var updated = new TableEntity(partition, delta.Row) { [CountColumn] = Math.Max(0, value) };
                actions.Add(entity is null
                    ? new TableTransactionAction(TableTransactionActionType.Add, updated)
                    : new TableTransactionAction(TableTransactionActionType.UpdateReplace, updated, entity.ETag));
            }
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add,
                new TableEntity(partition, marker) { ["AppliedAt"] = time.GetUtcNow() }));
            try
            {
                await client.SubmitTransactionAsync(actions, ct);
                return (Result.Applied, null);
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
            {
                // Another writer got there first (or created the same row): read again and retry.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 + attempt * 4)), ct);
            }
        }
        throw new InvalidOperationException($"Counter partition '{partition}' stayed contended for {MaxAttempts} attempts.");
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

    private static async Task<bool> Exists(TableClient client, string partition, string row, CancellationToken ct)
        => (await client.GetEntityIfExistsAsync<TableEntity>(partition, row, ["RowKey"], ct)).HasValue;

    private static async Task<Dictionary<string, TableEntity>> ReadAsync(TableClient client, string partition, IEnumerable<string> rows, CancellationToken ct)
    {
        var result = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        foreach (var row in rows.Distinct(StringComparer.Ordinal))
        {
            var entity = await client.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: ct);
            if (entity.HasValue)
                result[row] = entity.Value!;
        }
        return result;
    }
}
