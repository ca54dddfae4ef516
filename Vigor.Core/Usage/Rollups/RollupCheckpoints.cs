using Azure;
using Azure.Data.Tables;

namespace Vigor.Core.Usage.Rollups;

/// <summary>
/// Where the rollup stands. <see cref="Applied"/>: every ledger row up to it is in the rollups. <see cref="Pending"/>:
/// a batch (Applied, Pending] was chosen and may be partly applied; it must be finished before anything else.
/// </summary>
internal sealed record RollupCheckpoint(LedgerPosition Applied, LedgerPosition? Pending, ETag ETag);

/// <summary>The checkpoint row, changed only under its ETag so that concurrent runs cannot step on each other.</summary>
internal sealed class RollupCheckpoints(RollupTable table)
{
    private const string Partition = "checkpoint";
    private const string Row = "usage";

    public async Task<RollupCheckpoint> ReadAsync(CancellationToken ct)
    {
        var client = await table.GetAsync();
        var found = await client.GetEntityIfExistsAsync<TableEntity>(Partition, Row, cancellationToken: ct);
        if (!found.HasValue)
            return new RollupCheckpoint(LedgerPosition.Start, null, default);
        var entity = found.Value!;
        var applied = new LedgerPosition(entity.GetInt64("AppliedTx") ?? 0, entity.GetInt64("AppliedId") ?? 0);
        var pending = entity.GetInt64("PendingTx") is { } tx ? new LedgerPosition(tx, entity.GetInt64("PendingId") ?? 0) : (LedgerPosition?)null;
        return new RollupCheckpoint(applied, pending, entity.ETag);
    }

    /// <summary>Records the batch (Applied, <paramref name="to"/>] before any of it is applied; null when another run moved first.</summary>
    public Task<RollupCheckpoint?> TryBeginAsync(RollupCheckpoint current, LedgerPosition to, CancellationToken ct)
        => TryWriteAsync(current, current with { Pending = to }, ct);

    /// <summary>Moves Applied to the pending batch's end once all of it is applied; null when another run finished it first.</summary>
    public Task<RollupCheckpoint?> TryCompleteAsync(RollupCheckpoint current, CancellationToken ct)
        => TryWriteAsync(current, current with { Applied = current.Pending ?? current.Applied, Pending = null }, ct);

    private async Task<RollupCheckpoint?> TryWriteAsync(RollupCheckpoint current, RollupCheckpoint next, CancellationToken ct)
    {
        var client = await table.GetAsync();
        var entity = new TableEntity(Partition, Row) { ["AppliedTx"] = next.Applied.Tx, ["AppliedId"] = next.Applied.Id };
        if (next.Pending is { } pending)
        {
            entity["PendingTx"] = pending.Tx;
            entity["PendingId"] = pending.Id;
        }
        try
        {
            var response = current.ETag == default
                ? await client.AddEntityAsync(entity, ct)
                : await client.UpdateEntityAsync(entity, current.ETag, TableUpdateMode.Replace, ct);
            return next with { ETag = response.Headers.ETag ?? default };
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return null;
        }
    }
}
