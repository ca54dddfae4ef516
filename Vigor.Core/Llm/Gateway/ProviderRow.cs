namespace Vigor.Core.Llm.Gateway;

/// <summary>A row of <c>llm_providers</c>: how to reach a model, what it costs, who may use it.</summary>
// A class, not a positional record: Dapper hands text[] over as System.Array, which only a setter accepts.
public sealed class ProviderRow
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public string Kind { get; init; } = "";
    public string? Endpoint { get; init; }
    public string Model { get; init; } = "";
    public string? ApiVersion { get; init; }
    public bool UseManagedIdentity { get; init; }
    public int Priority { get; init; }
    public bool Enabled { get; init; }
    public string[] Tiers { get; init; } = [];
    public decimal InputPricePerMillion { get; init; }
    public decimal OutputPricePerMillion { get; init; }
    public int TimeoutSeconds { get; init; }
    public decimal? DailyCapUsd { get; init; }
    public decimal? MonthlyCapUsd { get; init; }
    public bool HasSecret { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }

    public bool IsOffline => Kind == "offline";

    /// <summary>The Key Vault secret holding this provider's API key.</summary>
    public string SecretName => "llm-provider-" + Id.ToString("N");
}
