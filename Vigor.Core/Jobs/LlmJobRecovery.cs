using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigor.Core.Llm.Gateway;
using Vigor.Core.Usage;

namespace Vigor.Core.Jobs;

/// <summary>
/// The durability of the inline fast path (<see cref="LlmInlineRunner"/>): an AI request whose instance died before it
/// finished or handed over (a crash, a scale-in, a deployment) still holds its worst case in the budgets and owes its
/// user an answer. Every run hands such jobs to <see cref="LlmOrchestrator"/>, which re-runs the steps from the stored
/// input: what the dead run did is keyed by the job id and counts once, the hold is settled, the answer lands in the job.
/// The same run purges counter operation markers old enough that no activity can repeat them, and closes the quota leases
/// of dead instances (<see cref="QuotaLeases"/>).
/// </summary>
internal sealed partial class LlmJobRecovery(
    JobRepository jobs, ICounterStore counters, QuotaLeases leases, IOptions<JobOptions> options, TimeProvider time, ILogger<LlmJobRecovery> logger)
{
    public const int BatchSize = 100;

    /// <summary>Markers older than this are purged: far beyond any retry of an activity or a recovered job.</summary>
    public static readonly TimeSpan MarkerAge = TimeSpan.FromDays(2);

    public sealed record Run(int HandedOver, int MarkersPurged, int LeaseUnitsReturned = 0);

    public async Task<Run> RunAsync(DurableTaskClient durable, CancellationToken ct)
    {
        var handed = 0;
        foreach (var (id, input) in await jobs.StalledAsync(time.GetUtcNow() - options.Value.RecoverAfter, BatchSize, ct))
        {
            var job = JobService.Converter.Deserialize<LlmJob>(input)!;
            try
            {
                await durable.ScheduleNewOrchestrationInstanceAsync(nameof(LlmOrchestrator), job with { Resume = null }, new StartOrchestrationOptions(id), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Already scheduled by an earlier run that could not mark it: the orchestration exists, so only the mark is missing.
                if (await durable.GetInstanceAsync(id, ct) is null)
                {
                    RecoveryFailed(logger, e, id);
                    continue;
                }
            }
            if (await jobs.HandOverAsync(id, ct))
                handed++;
        }
        var purged = await counters.PurgeMarkersAsync(MarkerAge, ct);
        // Quota leases whose holders died: the units no recorded hit used leave the counters.
        var returned = counters is PgCounterStore ? await leases.ReclaimAsync(ct) : 0;
        return new Run(handed, purged, returned);
    }

    [LoggerMessage(1, LogLevel.Warning, "Could not hand the stalled AI job {JobId} to the orchestrator; the next run tries again")]
    private static partial void RecoveryFailed(ILogger logger, Exception e, string jobId);
}
