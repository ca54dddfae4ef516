using Vigor.Core.Infrastructure;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Llm.Gateway;
using Vigor.Core.Usage;

namespace Vigor.Core.Admin;

/// <summary>The global AI budget as admins see and change it; the spend comes from the live counters the budget gate keeps.</summary>
internal sealed class BudgetService(BudgetRepository budgets, ProviderRepository providers, ICounterStore counters, TimeProvider time)
{
    public const int MaxThresholds = 10;

    public async Task<BudgetSettings> GetAsync(CancellationToken ct) => await ToDtoAsync(await budgets.GetAsync(ct), ct);

    public async Task<Outcome<BudgetSettings>> UpdateAsync(Guid actor, BudgetUpdate body, CancellationToken ct)
    {
        var errors = new FieldErrors();
        ProviderValidator.Money(errors, body.GlobalMonthlyUsd, ProviderValidator.MaxUsd, "globalMonthlyUsd", required: true);
        errors.Check(body.HardStop is not null, "hardStop", "is required.");
        if (body.AlertThresholds is not { } thresholds)
            errors.Add("alertThresholds", "is required.");
        else if (thresholds.Length is 0 or > MaxThresholds)
            errors.Add("alertThresholds", $"must list 1 to {MaxThresholds} percentages.");
        else
        {
            for (var i = 0; i < thresholds.Length; i++)
            {
                errors.Range(thresholds[i], 1, 100, $"alertThresholds[{i}]");
                errors.Check(i == 0 || thresholds[i] > thresholds[i - 1], $"alertThresholds[{i}]", "must be greater than the one before (ascending, no repeats).");
            }
        }
        if (!errors.IsEmpty)
            return errors.ToProblem();
        var saved = await budgets.UpdateAsync(body.GlobalMonthlyUsd!.Value, body.AlertThresholds!, body.HardStop!.Value, actor, ct);
        return await ToDtoAsync(saved, ct);
    }

    private async Task<BudgetSettings> ToDtoAsync(BudgetRepository.Settings settings, CancellationToken ct)
    {
        var month = UsageKeys.SpendMonth(time.GetUtcNow());
        var spent = (await counters.GetAsync(UsageKeys.Global, [month], ct)).GetValueOrDefault(month);
        var caps = (await providers.ListAsync(ct)).Where(p => !p.IsOffline).Select(p => new ProviderCap(p.Id, p.Name, p.DailyCapUsd, p.MonthlyCapUsd)).ToList();
        return new BudgetSettings(settings.GlobalMonthlyUsd, settings.AlertThresholds, settings.HardStop, settings.UpdatedAt, UsageKeys.FromMicros(Math.Max(0, spent)), caps);
    }
}
