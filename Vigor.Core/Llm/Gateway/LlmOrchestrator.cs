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

    public override async Task<LlmJobOutput> RunAsync(TaskOrchestrationContext context, LlmJob input)
    {
        // Activities get the job without the resume state: they never need it, and it would only grow every message.
        var job = input with { Resume = null };
        RoutePlan plan;
        Reservation reservation;
        if (input.Resume is { } resume)
        {
            (plan, reservation) = (resume.Plan, resume.Reservation);
        }
        else
        {
            plan = await context.CallActivityAsync<RoutePlan>(nameof(RouteLlmActivity), job, Retry);
            reservation = await context.CallActivityAsync<Reservation>(nameof(ReserveBudgetActivity),
                new ReserveInput(job.JobId, job.UserId, job.Tier, plan.WorstCaseMicros), Retry);
            if (reservation.Denial != Denial.None)
                return DeniedOutput(reservation);
        }

        var attempts = new List<AttemptResult>(input.Resume?.Attempts ?? []);
        // Resumed after an answer the inline path gave but could not settle: that answer is the job's, nothing is called again.
        string? text = plan.CachedText ?? (attempts is [.., { Succeeded: true } answered] ? answered.Text : null);
        if (text is null)
        {
            foreach (var candidate in CandidatesOf(plan, reservation).Skip(attempts.Count))
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
                    break;
                }
            }
        }

        await context.CallActivityAsync<bool>(nameof(SettleLlmActivity), SettleInputOf(job, plan, reservation, attempts, text), Retry);
        var result = ResultOf(plan, attempts, text);
        var payload = await context.CallActivityAsync<System.Text.Json.JsonElement>(nameof(CompleteLlmJobActivity), new CompleteInput(job, result), Retry);
        return new LlmJobOutput(result, payload);
    }

    // The decisions below are shared with LlmInlineRunner, so a request gets the same answer whichever way it ran.

    internal static LlmJobOutput DeniedOutput(Reservation reservation)
        => new(new LlmJobResult(LlmJobResult.Denied, null, "none", reservation.Denial.ToString(), reservation.ResetsAt, 0, false, 0), null);

    /// <summary>The chain to try: the plan's candidates, or only the offline coach when the budget cannot hold a model's worst case.</summary>
    internal static IEnumerable<Candidate> CandidatesOf(RoutePlan plan, Reservation reservation)
        => reservation.BudgetExhausted ? plan.Candidates.Where(c => c.Kind == "offline") : plan.Candidates;

    internal static SettleInput SettleInputOf(LlmJob job, RoutePlan plan, Reservation reservation, IReadOnlyList<AttemptResult> attempts, string? text)
        => new(job, reservation.ReservedMicros, attempts, plan.CachedText is not null, text, reservation.SpendMonth);

    internal static LlmJobResult ResultOf(RoutePlan plan, IReadOnlyList<AttemptResult> attempts, string? text)
    {
        var cacheHit = plan.CachedText is not null;
        var last = attempts.Count > 0 ? attempts[^1] : null;
        var source = cacheHit ? "cache"
            : last is { Succeeded: true } && last.ProviderKind != "offline" ? last.ProviderName
            : LlmJobResult.OfflineSource;
        var cost = attempts.Sum(a => a.CostMicros) / 1_000_000m;
        return new LlmJobResult(LlmJobResult.Answered, text, source, null, null, cost, cacheHit, attempts.Count);
    }
}
