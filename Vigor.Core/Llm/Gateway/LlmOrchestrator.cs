using Microsoft.DurableTask;

namespace Vigor.Core.Llm.Gateway;

/// <summary>
/// Route → reserve → call with fallback → settle (architecture.md, "An AI request, end to end"). Deterministic:
/// every decision that reads the world happens in an activity. A quota denial calls no provider; an exhausted
/// budget leaves only the offline coach; every failed candidate moves to the next, and the offline coach, last in
/// every chain, always answers.
/// </summary>
public sealed class LlmOrchestrator : TaskOrchestrator<LlmJob, LlmJobResult>
{
    public override async Task<LlmJobResult> RunAsync(TaskOrchestrationContext context, LlmJob job)
    {
        var plan = await context.CallActivityAsync<RoutePlan>(nameof(RouteLlmActivity), job);
        var reservation = await context.CallActivityAsync<Reservation>(nameof(ReserveBudgetActivity),
            new ReserveInput(job.JobId, job.UserId, job.Tier, plan.WorstCaseMicros));
        if (reservation.Denial != Denial.None)
            return new LlmJobResult(LlmJobResult.Denied, null, "none", reservation.Denial.ToString(), reservation.ResetsAt, 0, false, 0);

        var attempts = new List<AttemptResult>();
        string? text = plan.CachedText;
        var source = text is null ? LlmJobResult.OfflineSource : "cache";
        if (text is null)
        {
            var candidates = reservation.BudgetExhausted ? plan.Candidates.Where(c => c.Kind == "offline") : plan.Candidates;
            foreach (var candidate in candidates)
            {
                var result = await context.CallActivityAsync<AttemptResult>(nameof(CallModelActivity), new AttemptInput(job, attempts.Count + 1, candidate));
                attempts.Add(result);
                if (result.Succeeded)
                {
                    text = result.Text;
                    source = result.ProviderKind == "offline" ? LlmJobResult.OfflineSource : result.ProviderName;
                    break;
                }
            }
        }

        await context.CallActivityAsync<bool>(nameof(SettleLlmActivity), new SettleInput(job, reservation.ReservedMicros, attempts, plan.CachedText is not null, text));
        var cost = attempts.Sum(a => a.CostMicros) / 1_000_000m;
        return new LlmJobResult(LlmJobResult.Answered, text, source, null, null, cost, plan.CachedText is not null, attempts.Count);
    }
}
