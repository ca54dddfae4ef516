using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Vigor.Core.Llm.Gateway;

namespace Vigor.Core.Jobs;

/// <summary>The settle step of an answer already given (<see cref="ILlmFeature.SettlesAfterAnswer"/>, <see cref="PendingSettles"/>).</summary>
internal sealed partial class JobService
{
    /// <summary>Tries of a settle step run after the answer before the orchestrator takes the job over.</summary>
    internal const int SettleTries = 3;

    /// <summary>How long one of those tries may take: all of them end well before <see cref="JobOptions.RecoverAfter"/>.</summary>
    private static readonly TimeSpan SettleTryLimit = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The settle step of an answer already given, tried <see cref="SettleTries"/> times (it is idempotent by job id). When it
    /// cannot commit, the orchestrator takes the job over from the answer given (<see cref="LlmResume"/>): it settles and stores
    /// that very answer and calls no model again. Never throws: <see cref="PendingSettles"/> only waits for it.
    /// </summary>
    private async Task SettleBehindAsync(DurableTaskClient durable, JobRepository.Row row, LlmJob job, DeferredSettle settling)
    {
        // The answer first: started at once, the settle's work (and PostgreSQL's) competed with writing the answer on a
        // 2-core machine (bench, 16 users pausing 1 s: the step from the model's answer to the response 0.25 / 1.5 ms at
        // p50 / p95 against 0.07 / 0.17 ms a millisecond later). A budget is held a millisecond longer; reads wait anyway.
        await Task.Delay(TimeSpan.FromMilliseconds(1));
        for (var attempt = 1; attempt <= SettleTries; attempt++)
        {
            try
            {
                using var bound = new CancellationTokenSource(SettleTryLimit);
                if (!await inline.SettleAsync(settling, bound.Token))
                    SettledAfterHandOver(logger, row.Id);
                return;
            }
            catch (Exception e)
            {
                SettleFailed(logger, e, row.Id, attempt, SettleTries);
                if (attempt < SettleTries)
                    await Task.Delay(TimeSpan.FromMilliseconds(200 << attempt));
            }
        }
        try
        {
            await inline.ReleaseHoldAsync(settling, CancellationToken.None);
            if (await jobs.HandOverAsync(row.Id, CancellationToken.None))
                await durable.ScheduleNewOrchestrationInstanceAsync(nameof(LlmOrchestrator), job with { Resume = settling.Resume },
                    new StartOrchestrationOptions(row.Id), CancellationToken.None);
        }
        catch (Exception e)
        {
            // The job's row stays unfinished: LlmJobRecovery hands it over once JobOptions.RecoverAfter has passed.
            HandOverFailed(logger, e, row.Id);
        }
    }

    /// <summary>
    /// A remembered cache hit answered from a quota lease (<see cref="QuotaLeases"/>): the answer now, its writes right after
    /// (<see cref="PendingSettles"/>, so the user's reads in this instance wait for them). Null when this path does not apply.
    /// </summary>
    public JobStart? StartLeasedHit(Guid userId, string kind, Func<string, LlmJob> input, LlmCache.Remembered remembered, QuotaLeases.Lease lease)
    {
        var id = NewId(kind);
        var row = new JobRepository.Row(id, userId, kind, jobs.Now(), Inline: true);
        if (inline.LeasedHit(input(id), remembered, row, lease) is not { } hit)
            return null;
        settles.Track(userId, WriteBehindAsync(id, hit.Write));
        return new JobStart(InlineResult(row, hit.Answer.Output), Finished: true);
    }

    /// <summary>
    /// A leased hit's writes, tried <see cref="SettleTries"/> times (idempotent by job id). Never throws. Should every try
    /// fail, the hit is not on record: its unit was not marked used, so the lease gives it back and it was not counted.
    /// </summary>
    private async Task WriteBehindAsync(string jobId, Func<CancellationToken, Task> write)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(1));
        for (var attempt = 1; attempt <= SettleTries; attempt++)
        {
            try
            {
                using var bound = new CancellationTokenSource(SettleTryLimit);
                await write(bound.Token);
                return;
            }
            catch (Exception e)
            {
                SettleFailed(logger, e, jobId, attempt, SettleTries);
                if (attempt < SettleTries)
                    await Task.Delay(TimeSpan.FromMilliseconds(200 << attempt));
            }
        }
        HitNotRecorded(logger, jobId);
    }

    [LoggerMessage(5, LogLevel.Error, "AI job {JobId}: a cache hit answered from a quota lease could not be recorded; it is neither counted nor saved")]
    private static partial void HitNotRecorded(ILogger logger, string jobId);

    [LoggerMessage(2, LogLevel.Warning, "AI job {JobId}: the settle step after the answer failed (try {Try} of {Tries})")]
    private static partial void SettleFailed(ILogger logger, Exception e, string jobId, int @try, int tries);

    [LoggerMessage(3, LogLevel.Warning, "AI job {JobId}: settled after the answer, but the job had been handed over meanwhile")]
    private static partial void SettledAfterHandOver(ILogger logger, string jobId);

    [LoggerMessage(4, LogLevel.Error, "AI job {JobId}: its settle step could not be handed to the orchestrator; recovery will")]
    private static partial void HandOverFailed(ILogger logger, Exception e, string jobId);
}
