using Microsoft.Extensions.Logging;

namespace Vigor.Core.Usage.Rollups;

internal sealed record RollupRun(int Batches, long Rows, LedgerPosition Applied);

/// <summary>
/// Rolls the LLM ledger (<c>llm_calls</c>) up into Table Storage: per day and month, for the whole app and per user,
/// tier, provider and feature: requests, calls, input and output tokens, cost in micro-dollars.
/// <para>
/// Why the totals are exact, however often it runs, crashes or overlaps another run:
/// <list type="number">
/// <item>Only final rows are read. Rows go in (tx, id) order and only below the oldest running transaction
/// (<see cref="RollupLedger.HorizonAsync"/>), so a row can never become visible behind the checkpoint (a late
/// commit of a lower bigserial id would, with an id-only checkpoint).</item>
/// <item>A batch is fixed before it is applied: the checkpoint row records (Applied, Pending] first, and a run that
/// finds a pending batch re-reads exactly that range, so the same rows always make the same deltas, chunks and
/// marker names.</item>
/// <item>Each chunk (≤ 99 rows of one partition) is one entity group transaction with its marker and ETag
/// conditions: applied wholly, once (<see cref="RollupWriter"/>). Integers only: no rounding to drift.</item>
/// <item>Applied moves, under the checkpoint's ETag, only after every chunk of the batch is applied.</item>
/// </list>
/// A crash leaves Applied behind and some chunks marked; the next run finishes the same batch and skips those chunks.
/// Each row also stores the batch end it last took in (ThroughTx/ThroughId), so a reader can add exactly the ledger
/// rows that are not in it yet (<see cref="Budgets.SpendForecaster"/>).
/// </para>
/// </summary>
internal sealed class UsageRollup(RollupLedger ledger, RollupCheckpoints checkpoints, RollupWriter writer, ILogger<UsageRollup> logger)
{
    private static readonly LedgerPosition End = new(long.MaxValue, long.MaxValue);

    /// <summary>Ledger rows per query: memory holds one page plus the batch's distinct keys.</summary>
    internal int PageSize { get; set; } = 5_000;

    /// <summary>A batch closes after the page that takes it past either bound.</summary>
    internal int MaxBatchRows { get; set; } = 125_000;

    internal int MaxBatchKeys { get; set; } = 50_000;

    internal int Parallelism { get; set; } = 8;

    /// <summary>Test seam: runs after each chunk is applied (a fault here is a crash halfway through a batch).</summary>
    internal Func<CancellationToken, Task>? AfterChunkApplied { get; set; }

    public async Task<RollupRun> RunAsync(CancellationToken ct)
    {
        var horizon = await ledger.HorizonAsync(ct);
        var cache = new RollupCache();
        var batches = 0;
        var rows = 0L;
        while (true)
        {
            var checkpoint = await checkpoints.ReadAsync(ct);
            RollupBatch batch;
            if (checkpoint.Pending is { } pending)
            {
                batch = await ReadAsync(checkpoint.Applied, pending, long.MaxValue, bounded: false, ct);
            }
            else
            {
                batch = await ReadAsync(checkpoint.Applied, End, horizon, bounded: true, ct);
                if (batch.Rows == 0)
                {
                    if (batches > 0)
                        UsageLog.RollupApplied(logger, rows, batches, checkpoint.Applied.ToString());
                    return new RollupRun(batches, rows, checkpoint.Applied);
                }
                if (await checkpoints.TryBeginAsync(checkpoint, batch.To, ct) is not { } begun)
                    continue;
                checkpoint = begun;
            }
            await writer.ApplyAsync(batch, cache, Parallelism, AfterChunkApplied, ct);
            await checkpoints.TryCompleteAsync(checkpoint, ct);
            batches++;
            rows += batch.Rows;
        }
    }

    private async Task<RollupBatch> ReadAsync(LedgerPosition after, LedgerPosition upTo, long horizon, bool bounded, CancellationToken ct)
    {
        var batch = new RollupBatch(after);
        while (true)
        {
            var (count, _) = await ledger.ReadAsync(batch.To, upTo, horizon, PageSize, batch.Add, ct);
            if (count < PageSize || (bounded && (batch.Rows >= MaxBatchRows || batch.Keys >= MaxBatchKeys)))
                return batch;
        }
    }
}
