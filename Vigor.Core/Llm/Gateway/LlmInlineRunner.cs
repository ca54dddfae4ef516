namespace Vigor.Core.Llm.Gateway;

/// <summary>What an inline start came to: the finished output, or the state the orchestrator goes on from.</summary>
internal abstract record InlineOutcome
{
    public sealed record Finished(LlmJobOutput Output) : InlineOutcome;

    public sealed record HandOver(LlmResume Resume) : InlineOutcome;
}

/// <summary>
/// The gateway's fast path, in the instance that took the HTTP request: route, reserve, the first candidate's call,
/// settle and complete, with the very services the orchestrator's activities run (and <see cref="LlmOrchestrator"/>'s
/// own decisions), so quotas, budgets, breakers, ledger and cache behave the same. A cache hit, a quota denial, the
/// offline coach and a first candidate that answers (most requests) finish here without a Durable round trip, which on
/// the Azure Storage backend alone costs more than the whole request. Anything else (the first candidate failing, its
/// answer invalid, a provider cap) hands over to the orchestrator with the route, the reservation and the attempt made:
/// the fallback chain, its retries and its durability are Durable's. Every step is keyed by the job id, as the activities
/// are, and the job's input is stored before the first step, so if this instance dies mid-way
/// <see cref="Jobs.LlmJobRecovery"/> hands the job to the orchestrator, which re-runs the steps without counting twice.
/// </summary>
internal sealed class LlmInlineRunner(
    LlmRouter router, BudgetGate gate, LlmAttemptRunner runner, LlmSettlement settlement, IEnumerable<ILlmFeature> features)
{
    public async Task<InlineOutcome> RunAsync(LlmJob job, CancellationToken ct)
    {
        var (plan, context) = await router.RouteWithContextAsync(job, ct);
        var reservation = await gate.ReserveAsync(job.JobId, job.UserId, context.Tier, plan.WorstCaseMicros, ct, context.GlobalLimit);
        if (reservation.Denial != Denial.None)
            return new InlineOutcome.Finished(LlmOrchestrator.DeniedOutput(reservation));

        var attempts = new List<AttemptResult>();
        var text = plan.CachedText;
        if (text is null)
        {
            var first = LlmOrchestrator.CandidatesOf(plan, reservation).First();
            var attempt = await runner.RunAsync(job, 1, first, ct, context.Providers.FirstOrDefault(p => p.Id == first.ProviderId));
            attempts.Add(attempt);
            if (!attempt.Succeeded)
                return new InlineOutcome.HandOver(new LlmResume(plan, reservation, attempts));
            text = attempt.Text;
        }

        var result = LlmOrchestrator.ResultOf(plan, attempts, text);
        // Settling (ledger, counters, cache) and the feature's completion (the stored reply or plan) are independent.
        var settle = settlement.SettleAsync(LlmOrchestrator.SettleInputOf(job, plan, reservation, attempts, text), ct);
        var payload = features.First(f => f.Name == job.Feature).CompleteAsync(job, result, ct);
        await Task.WhenAll(settle, payload);
        return new InlineOutcome.Finished(new LlmJobOutput(result, await payload));
    }
}
