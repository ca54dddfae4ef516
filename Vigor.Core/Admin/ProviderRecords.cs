using Vigor.Core.Llm.Gateway;

namespace Vigor.Core.Admin;

/// <summary>
/// The body of <c>POST admin/providers</c> and <c>PUT admin/providers/{id}</c> (a PUT replaces every field; omitted
/// optional fields take their defaults). Nullable so that a missing field can be told from a wrong one.
/// </summary>
public sealed class ProviderRequest
{
    public string? Name { get; init; }
    public string? Kind { get; init; }
    public string? Endpoint { get; init; }
    public string? Model { get; init; }
    public string? ApiVersion { get; init; }
    public bool? UseManagedIdentity { get; init; }
    public int? Priority { get; init; }
    public bool? Enabled { get; init; }
    public string[]? Tiers { get; init; }
    public decimal? InputPricePerMillion { get; init; }
    public decimal? OutputPricePerMillion { get; init; }
    public int? TimeoutSeconds { get; init; }
    public decimal? DailyCapUsd { get; init; }
    public decimal? MonthlyCapUsd { get; init; }
}

/// <summary>The body of <c>PUT admin/providers/{id}/secret</c>. The key goes to the secret store only.</summary>
public sealed record ProviderSecretRequest(string? ApiKey)
{
    // Records print their members; this one must never show up in a log or an exception message.
    public override string ToString() => nameof(ProviderSecretRequest);
}

/// <summary>A provider as admins see it (and as the audit log records it). There is no secret in it, only <c>hasSecret</c>.</summary>
public sealed record ProviderDto(
    Guid Id, string Name, string Kind, string? Endpoint, string Model, string? ApiVersion, bool UseManagedIdentity, int Priority, bool Enabled,
    IReadOnlyList<string> Tiers, decimal InputPricePerMillion, decimal OutputPricePerMillion, int TimeoutSeconds, decimal? DailyCapUsd,
    decimal? MonthlyCapUsd, bool HasSecret, bool BuiltIn, DateTime CreatedAt, DateTime UpdatedAt)
{
    internal static ProviderDto From(ProviderRow r) => new(
        r.Id, r.Name, r.Kind, r.Endpoint, r.Model, r.ApiVersion, r.UseManagedIdentity, r.Priority, r.Enabled, r.Tiers, r.InputPricePerMillion,
        r.OutputPricePerMillion, r.TimeoutSeconds, r.DailyCapUsd, r.MonthlyCapUsd, r.HasSecret, r.IsOffline, r.CreatedAt, r.UpdatedAt);
}

/// <summary>A provider's health: the circuit breaker as the router sees it now, and the last 24 hours of the call ledger.</summary>
public sealed record ProviderHealth(
    Guid Id, string Name, string Kind, bool Enabled, string BreakerState, BreakerWindow Breaker, ProviderDayStats Last24h, DateTime? LastProbeAt);

/// <summary>The calls the breaker judges (its sliding window): failures are transport or vendor failures.</summary>
public sealed record BreakerWindow(int WindowSeconds, int Calls, int Failures, double ErrorRate, double P50Ms, double P95Ms);

/// <summary>Ledger figures over the last 24 hours (cache hits excluded); cost per 1,000 requests is cost / calls × 1,000.</summary>
public sealed record ProviderDayStats(
    int Calls, int Failures, double ErrorRate, double P50Ms, double P95Ms, decimal CostUsd, decimal CostPer1kRequestsUsd, DateTime? LastCallAt, DateTime? LastFailureAt);
