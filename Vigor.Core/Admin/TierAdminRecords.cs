namespace Vigor.Core.Admin;

/// <summary>
/// The body of <c>PUT admin/tiers/{name}</c>: every field is required (a PUT replaces the settings).
/// <c>providerIds</c> are the model providers the tier may use (the offline coach serves every tier regardless).
/// </summary>
public sealed record TierUpdate(
    decimal? PriceUsd, int? RequestsPerDay, int? RequestsPerWeek, int? RequestsPerMonth, decimal? MonthlyBudgetUsd, string[]? Features,
    string? ModelClass, Guid[]? ProviderIds);

public sealed record TierProvider(Guid Id, string Name, string Model, bool Enabled);

/// <summary>A tier as admins see and edit it, with the providers allowed to serve it.</summary>
public sealed record TierSettings(
    string Name, decimal PriceUsd, int RequestsPerDay, int RequestsPerWeek, int RequestsPerMonth, decimal MonthlyBudgetUsd,
    IReadOnlyList<string> Features, string ModelClass, int Priority, IReadOnlyList<Guid> ProviderIds, IReadOnlyList<TierProvider> Providers,
    DateTime UpdatedAt);
