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

    [LoggerMessage(2, LogLevel.Warning, "AI job {JobId}: the settle step after the answer failed (try {Try} of {Tries})")]
    private static partial void SettleFailed(ILogger logger, Exception e, string jobId, int @try, int tries);

    [LoggerMessage(3, LogLevel.Warning, "AI job {JobId}: settled after the answer, but the job had been handed over meanwhile")]
    private static partial void SettledAfterHandOver(ILogger logger, string jobId);

    [LoggerMessage(4, LogLevel.Error, "AI job {JobId}: its settle step could not be handed to the orchestrator; recovery will")]
    private static partial void HandOverFailed(ILogger logger, Exception e, string jobId);
}
