using Microsoft.DurableTask;

namespace Vigor.Core.Llm.Gateway;

/// <summary>
/// Route → reserve → call with fallback → settle (architecture.md, "An AI request, end to end"). Deterministic:
/// every decision that reads the world happens in an activity. A quota denial calls no provider; an exhausted
/// budget leaves only the offline coach; every failed candidate moves to the next, and the offline coach, last in
/// every chain, always answers.
/// </summary>
public sealed class LlmOrchestrator : TaskOrchestrator<LlmJob, LlmJobOutput>
{
    public override async Task<LlmJobOutput> RunAsync(TaskOrchestrationContext context, LlmJob job)
    {
        var plan = await context.CallActivityAsync<RoutePlan>(nameof(RouteLlmActivity), job);
        var reservation = await context.CallActivityAsync<Reservation>(nameof(ReserveBudgetActivity),
            new ReserveInput(job.JobId, job.UserId, job.Tier, plan.WorstCaseMicros));
        if (reservation.Denial != Denial.None)
            return new LlmJobOutput(new LlmJobResult(LlmJobResult.Denied, null, "none", reservation.Denial.ToString(), reservation.ResetsAt, 0, false, 0), null);

        var attempts = new List<AttemptResult>();
        string? text = plan.CachedText;
        var source = text is null ? LlmJobResult.OfflineSource : "cache";
        if (text is null)
        {
            var candidates = reservation.BudgetExhausted ? plan.Candidates.Where(c => c.Kind == "offline") : plan.Candidates;
            foreach (var candidate in candidates)
            {
                var attempt = await context.CallActivityAsync<AttemptResult>(nameof(CallModelActivity), new AttemptInput(job, attempts.Count + 1, candidate));
                attempts.Add(attempt);
                if (attempt.Succeeded)
                {
                    text = attempt.Text;
                    source = attempt.ProviderKind == "offline" ? LlmJobResult.OfflineSource : attempt.ProviderName;
                    break;
                }
            }
        }

        await context.CallActivityAsync<bool>(nameof(SettleLlmActivity), new SettleInput(job, reservation.ReservedMicros, attempts, plan.CachedText is not null, text));
        var cost = attempts.Sum(a => a.CostMicros) / 1_000_000m;
        var result = new LlmJobResult(LlmJobResult.Answered, text, source, null, null, cost, plan.CachedText is not null, attempts.Count);
        var payload = await context.CallActivityAsync<System.Text.Json.JsonElement>(nameof(CompleteLlmJobActivity), new CompleteInput(job, result));
        return new LlmJobOutput(result, payload);
    }
}
