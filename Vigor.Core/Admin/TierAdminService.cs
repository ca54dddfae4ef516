using Vigor.Core.Infrastructure;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Usage;

namespace Vigor.Core.Admin;

/// <summary>
/// Admin editing of tiers. Enforcement reads tiers from the database on every AI request (<see cref="TierRepository"/>
/// keeps no cache), so a saved change applies to the next request, <c>GET tiers</c> and <c>GET me/usage</c> at once.
/// </summary>
internal sealed class TierAdminService(TierAdminRepository store)
{
    public const decimal MaxPriceUsd = 10_000m;
    public const decimal MaxBudgetUsd = 100_000m;
    public const int MaxRequests = 10_000_000;
    public const int MaxProviders = 100;

    public Task<IReadOnlyList<TierSettings>> ListAsync(CancellationToken ct) => store.ListAsync(ct);

    public async Task<Outcome<TierSettings>> UpdateAsync(Guid actor, string name, TierUpdate body, CancellationToken ct)
    {
        if (name.Length > 40 || !(await store.ListAsync(ct)).Any(t => t.Name == name))
            return Problems.NotFound("tier");
        var errors = new FieldErrors();
        Money(errors, body.PriceUsd, MaxPriceUsd, 2, "priceUsd");
        Money(errors, body.MonthlyBudgetUsd, MaxBudgetUsd, 6, "monthlyBudgetUsd");
        errors.Range(body.RequestsPerDay, 0, MaxRequests, "requestsPerDay", required: true)
            .Range(body.RequestsPerWeek, 0, MaxRequests, "requestsPerWeek", required: true)
            .Range(body.RequestsPerMonth, 0, MaxRequests, "requestsPerMonth", required: true)
            .Check(!(body.RequestsPerWeek < body.RequestsPerDay), "requestsPerWeek", "must be at least requestsPerDay.")
            .Check(!(body.RequestsPerMonth < body.RequestsPerWeek), "requestsPerMonth", "must be at least requestsPerWeek.")
            .Check(body.ModelClass is not null && ModelClasses.All.Contains(body.ModelClass), "modelClass", $"must be one of: {string.Join(", ", ModelClasses.All)}.");
        OneOf(errors, body.Features, Features.All, Features.All.Length, "features", "a feature");
        if (body.ProviderIds is null || body.ProviderIds.Length > MaxProviders)
            errors.Add("providerIds", $"is required: a list of at most {MaxProviders} provider ids (empty: only the offline coach).");
        else
        {
            var known = await store.ProviderIdsAsync(ct);
            for (var i = 0; i < body.ProviderIds.Length; i++)
                errors.Check(known.Contains(body.ProviderIds[i]), $"providerIds[{i}]", "is not a model provider (the offline coach serves every tier anyway).");
        }
        if (!errors.IsEmpty)
            return errors.ToProblem();
        var update = body with { Features = body.Features!.Distinct().ToArray(), ProviderIds = body.ProviderIds!.Distinct().ToArray() };
        return await store.UpdateAsync(name, update, actor, ct) is { } saved ? saved : Problems.NotFound("tier");
    }

    private static void Money(FieldErrors errors, decimal? value, decimal max, int decimals, string field)
    {
        ProviderValidator.Money(errors, value, max, field, required: true);
        errors.Check(value is not { } v || decimal.Round(v, decimals) == v, field, $"must have at most {decimals} decimal places.");
    }

    private static void OneOf(FieldErrors errors, string[]? values, string[] known, int max, string field, string what)
    {
        if (values is null || values.Length > max * 2)
        {
            errors.Add(field, $"is required: a list of {what} from {string.Join(", ", known)}.");
            return;
        }
        for (var i = 0; i < values.Length; i++)
            errors.Check(values[i] is not null && known.Contains(values[i]), $"{field}[{i}]", $"must be one of: {string.Join(", ", known)}.");
    }
}
