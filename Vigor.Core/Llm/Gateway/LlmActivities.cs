using Microsoft.DurableTask;
using Vigor.Core.Usage;

namespace Vigor.Core.Llm.Gateway;

public sealed record ReserveInput(string JobId, Guid UserId, string Tier, long WorstCaseMicros);

public sealed record AttemptInput(LlmJob Job, int Attempt, Candidate Candidate);

public sealed record SettleInput(LlmJob Job, long ReservedMicros, IReadOnlyList<AttemptResult> Attempts, bool CacheHit, string? Text, string? ReservedMonth = null);

// Activities run at least once: each keys its side effects by the job id (and attempt), so a re-run changes nothing twice.

internal sealed class RouteLlmActivity(LlmRouter router) : TaskActivity<LlmJob, RoutePlan>
{
    public override Task<RoutePlan> RunAsync(TaskActivityContext context, LlmJob input) => router.RouteAsync(input, CancellationToken.None);
}

internal sealed class ReserveBudgetActivity(BudgetGate gate, TierRepository tiers) : TaskActivity<ReserveInput, Reservation>
{
    public override async Task<Reservation> RunAsync(TaskActivityContext context, ReserveInput input)
    {
        var tier = await tiers.GetAsync(input.Tier, CancellationToken.None) ?? throw new InvalidOperationException($"Unknown tier '{input.Tier}'.");
        return await gate.ReserveAsync(input.JobId, input.UserId, tier, input.WorstCaseMicros, CancellationToken.None);
    }
}

internal sealed class CallModelActivity(LlmAttemptRunner runner) : TaskActivity<AttemptInput, AttemptResult>
{
    public override Task<AttemptResult> RunAsync(TaskActivityContext context, AttemptInput input)
        => runner.RunAsync(input.Job, input.Attempt, input.Candidate, CancellationToken.None);
}

internal sealed class SettleLlmActivity(LlmSettlement settlement) : TaskActivity<SettleInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, SettleInput input)
    {
        await settlement.SettleAsync(input, CancellationToken.None);
        return true;
    }
}

internal sealed class CompleteLlmJobActivity(IEnumerable<ILlmFeature> features) : TaskActivity<CompleteInput, System.Text.Json.JsonElement>
{
    public override Task<System.Text.Json.JsonElement> RunAsync(TaskActivityContext context, CompleteInput input)
        => features.First(f => f.Name == input.Job.Feature).CompleteAsync(input.Job, input.Result, CancellationToken.None);
}
