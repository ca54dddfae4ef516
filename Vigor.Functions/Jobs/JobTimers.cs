using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Vigor.Core.Jobs;

namespace Vigor.Functions.Jobs;

internal sealed class JobTimers(LlmJobRecovery recovery, ILogger<JobTimers> logger)
{
    [Function(nameof(RecoverLlmJobs))]
    public async Task RecoverLlmJobs(
        [TimerTrigger("%Timers:LlmJobRecoverySchedule%")] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken ct)
    {
        var run = await recovery.RunAsync(durable, ct);
        logger.LogInformation("AI job recovery: {HandedOver} stalled jobs handed to the orchestrator, {Purged} counter markers purged", run.HandedOver, run.MarkersPurged);
    }
}
