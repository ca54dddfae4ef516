using System.Globalization;
using Microsoft.Extensions.Logging;
using Vigor.Core.Infrastructure.Telemetry;
using Vigor.Core.Llm.Gateway;
using Vigor.Core.Usage.Rollups;

namespace Vigor.Core.Usage.Budgets;

internal sealed record BudgetWatchRun(MonthForecast Global, IReadOnlyList<BudgetAlert> Raised, int Notified);

/// <summary>
/// Compares this month's spend with the budgets: the global budget (<c>budget_settings</c>) and each provider's monthly
/// cap. Each threshold of <c>alert_thresholds</c> a scope reaches is raised once per month (a unique row), logged as
/// <c>BudgetThresholdCrossed</c> and posted to the webhook. Tiers have no budget of their own (a sum of users' budgets
/// means nothing), so their share of the global budget is only reported, as the <c>vigor.budget.utilisation</c> gauge.
/// </summary>
internal sealed class BudgetWatch(
    SpendForecaster forecaster, BudgetAlertRepository alerts, ProviderRepository providers, TierRepository tiers, BudgetWebhook webhook,
    VigorMetrics metrics, ILogger<BudgetWatch> logger)
{
    public async Task<BudgetWatchRun> RunAsync(CancellationToken ct)
    {
        var settings = await alerts.GetSettingsAsync(ct);
        var capped = (await providers.ListAsync(ct)).Where(p => p.MonthlyCapUsd > 0).ToList();
        var tierNames = (await tiers.ListAsync(ct)).Select(t => t.Name).ToList();
        var scopes = new List<string> { RollupScopes.Global };
        scopes.AddRange(capped.Select(p => RollupScopes.Provider(p.Id)));
        scopes.AddRange(tierNames.Select(RollupScopes.Tier));
        var forecasts = (await forecaster.ForecastAsync(scopes, ct)).ToDictionary(f => f.Scope, StringComparer.Ordinal);

        var global = forecasts[RollupScopes.Global];
        var raised = new List<BudgetAlert>();
        raised.AddRange(await CheckAsync("global", global, settings.GlobalMonthlyUsd, settings.AlertThresholds, ct));
        foreach (var provider in capped)
            raised.AddRange(await CheckAsync("provider." + provider.Name, forecasts[RollupScopes.Provider(provider.Id)], provider.MonthlyCapUsd!.Value, settings.AlertThresholds, ct));
        foreach (var tier in tierNames)
        {
            if (settings.GlobalMonthlyUsd > 0)
                metrics.SetBudgetUtilisation("tier." + tier, (double)(forecasts[RollupScopes.Tier(tier)].SpentUsd / settings.GlobalMonthlyUsd));
        }
        return new BudgetWatchRun(global, raised, await NotifyAsync(global.Period, ct));
    }

    private async Task<List<BudgetAlert>> CheckAsync(string scope, MonthForecast spend, decimal limitUsd, int[] thresholds, CancellationToken ct)
    {
        var raised = new List<BudgetAlert>();
        if (limitUsd <= 0)
            return raised;
        metrics.SetBudgetUtilisation(scope, (double)(spend.SpentUsd / limitUsd));
        foreach (var threshold in thresholds.Where(t => t > 0).Distinct().Order())
        {
            if (spend.SpentUsd * 100 < limitUsd * threshold)
                break;
            if (await alerts.TryRaiseAsync(scope, spend.Period, threshold, spend.SpentUsd, limitUsd, spend.ForecastUsd, ct) is { } alert)
            {
                UsageLog.BudgetThresholdCrossed(logger, scope, spend.SpentUsd, limitUsd, spend.Period, threshold, spend.ForecastUsd);
                raised.Add(alert);
            }
        }
        return raised;
    }

    /// <summary>Posts the period's alerts the webhook has not taken yet: at least once each, in order.</summary>
    private async Task<int> NotifyAsync(string period, CancellationToken ct)
    {
        if (await webhook.UrlAsync(ct) is not { } url)
            return 0;
        var sent = 0;
        foreach (var alert in await alerts.ListUnnotifiedAsync(period, ct))
        {
            if (!await webhook.PostAsync(url, Text(alert), ct))
                break;
            await alerts.MarkNotifiedAsync(alert.Id, ct);
            sent++;
        }
        return sent;
    }

    internal static string Text(BudgetAlert alert) => string.Create(CultureInfo.InvariantCulture,
        $"Vigor budget alert: {alert.Scope} has spent ${alert.SpentUsd:0.00} of its ${alert.LimitUsd:0.00} budget for {alert.Period} " +
        $"({alert.Threshold} % threshold crossed). Month-end forecast: ${alert.ForecastUsd ?? 0:0.00}.");
}
