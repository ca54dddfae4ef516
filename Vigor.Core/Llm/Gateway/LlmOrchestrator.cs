using Microsoft.DurableTask;

namespace Vigor.Core.Llm.Gateway;

/// <summary>
/// Route → reserve → call with fallback → settle (architecture.md, "An AI request, end to end"). Deterministic:
/// every decision that reads the world happens in an activity. A quota denial calls no provider; an exhausted
/// budget leaves only the offline coach; every failed candidate moves to the next, and the offline coach, last in
/// every chain, always answers. An activity that throws (a worker crash, a storage hiccup) is retried by Durable
/// under <see cref="Retry"/>; the activities are idempotent by job id, so a re-run never counts or charges twice.
/// An attempt whose activity keeps failing counts as a failed attempt, and the chain moves on.
/// </summary>
public sealed class LlmOrchestrator : TaskOrchestrator<LlmJob, LlmJobOutput>
{
    /// <summary>Outcome recorded for a candidate whose call activity failed every retry.</summary>
    public const string ActivityFailed = "activity_failed";

    /// <summary>Three tries, 1 s then 2 s apart: long enough for a transient storage or worker failure, short for an interactive wait.</summary>
    internal static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(3, TimeSpan.FromSeconds(1), 2));

    public override async Task<LlmJobOutput> RunAsync(TaskOrchestrationContext context, LlmJob job)
    {
        var plan = await context.CallActivityAsync<RoutePlan>(nameof(RouteLlmActivity), job, Retry);
        var reservation = await context.CallActivityAsync<Reservation>(nameof(ReserveBudgetActivity),
            new ReserveInput(job.JobId, job.UserId, job.Tier, plan.WorstCaseMicros), Retry);
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
                AttemptResult attempt;
                try
                {
                    attempt = await context.CallActivityAsync<AttemptResult>(nameof(CallModelActivity), new AttemptInput(job, attempts.Count + 1, candidate), Retry);
                }
                catch (TaskFailedException)
                {
                    attempt = new AttemptResult(candidate.ProviderId, candidate.Name, candidate.Kind, "", false, ActivityFailed, null, 0, 0, 0, 0);
                }
                attempts.Add(attempt);
                if (attempt.Succeeded)
                {
                    text = attempt.Text;
                    source = attempt.ProviderKind == "offline" ? LlmJobResult.OfflineSource : attempt.ProviderName;
                    break;
                }
            }
        }

        await context.CallActivityAsync<bool>(nameof(SettleLlmActivity), new SettleInput(job, reservation.ReservedMicros, attempts, plan.CachedText is not null, text, reservation.SpendMonth), Retry);
        var cost = attempts.Sum(a => a.CostMicros) / 1_000_000m;
        var result = new LlmJobResult(LlmJobResult.Answered, text, source, null, null, cost, plan.CachedText is not null, attempts.Count);
        var payload = await context.CallActivityAsync<System.Text.Json.JsonElement>(nameof(CompleteLlmJobActivity), new CompleteInput(job, result), Retry);
        return new LlmJobOutput(result, payload);
    }
}
