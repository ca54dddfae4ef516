using System.Text.Json;

namespace Vigor.Core.Llm.Gateway;

public sealed record PromptMessage(string Role, string Content);

/// <summary>
/// One AI request as the orchestrator sees it: who asks (for quotas and budgets), for which feature (validation,
/// offline answer), the prompt for a model, and the feature's structured input for the offline coach.
/// <paramref name="CacheKey"/> is null for personal requests, which are never cached.
/// </summary>
/// <paramref name="Resume"/> is set when the request began inline (<see cref="LlmInlineRunner"/>) and the orchestrator
/// takes over: the route, the reservation and the attempts already made, so it goes on with the next candidate.
public sealed record LlmJob(
    string JobId, Guid UserId, string Tier, string Feature, IReadOnlyList<PromptMessage> Messages, int MaxOutputTokens, bool JsonOutput,
    JsonElement FeatureInput, string? CacheKey, LlmResume? Resume = null);

/// <summary>Where an inline start stopped: what the orchestrator would have found by routing and reserving, and the attempts made.</summary>
public sealed record LlmResume(RoutePlan Plan, Reservation Reservation, IReadOnlyList<AttemptResult> Attempts);

public static class Outcomes
{
    public const string Ok = "ok";
    public const string InvalidOutput = "invalid_output";
    public const string CapReached = "cap_reached";
    public const string BreakerOpen = "breaker_open";
}

/// <summary>One provider attempt, as the ledger records it.</summary>
public sealed record AttemptResult(
    Guid ProviderId, string ProviderName, string ProviderKind, string Model, bool Succeeded, string Outcome, string? Text,
    int InputTokens, int OutputTokens, long CostMicros, double LatencyMs);

public sealed record Candidate(Guid ProviderId, string Name, string Kind, long WorstCaseMicros);

public sealed record RoutePlan(IReadOnlyList<Candidate> Candidates, string? CachedText, long WorstCaseMicros);

/// <summary>The job's result: answered by a provider (or the cache, or the offline coach), or denied by quota.</summary>
public sealed record LlmJobResult(
    string Status, string? Text, string Source, string? Denial, DateTimeOffset? ResetsAt, decimal CostUsd, bool CacheHit, int Attempts)
{
    public const string Answered = "answered";
    public const string Denied = "denied";
    public const string OfflineSource = "offline";
}

/// <summary>What the orchestration returns (and <c>GET jobs/{id}</c> shows): the gateway's result and the feature's payload.</summary>
public sealed record LlmJobOutput(LlmJobResult Result, JsonElement? Payload);

public sealed record CompleteInput(LlmJob Job, LlmJobResult Result);
