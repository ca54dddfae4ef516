using Vigor.Core.Usage.Rollups;

namespace Vigor.Core.Usage.Budgets;

/// <summary>A scope's spend this month and where it is heading.</summary>
internal sealed record MonthForecast(string Scope, string Period, decimal SpentUsd, decimal DailyAverageUsd, decimal RemainingDays, decimal ForecastUsd);

/// <summary>
/// Month-to-date spend per scope, exact to the last committed ledger row: the rollups plus the ledger rows they do not
/// hold yet. Month-end forecast, a linear projection: spent so far + the average daily spend of the last 7 full UTC days
/// × the days left in the month (fractional). Simple and explainable; it follows a change of pace within a week.
/// </summary>
internal sealed class SpendForecaster(UsageRollups rollups, RollupCheckpoints checkpoints, RollupLedger ledger, TimeProvider time)
{
    public const int AverageDays = 7;
    private static readonly LedgerPosition End = new(long.MaxValue, long.MaxValue);

    public async Task<MonthForecast> ForecastAsync(string scope, CancellationToken ct) => (await ForecastAsync([scope], ct))[0];

    public async Task<IReadOnlyList<MonthForecast>> ForecastAsync(IReadOnlyList<string> scopes, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var month = RollupScopes.Month(today);
        var days = Enumerable.Range(1, AverageDays).Select(i => RollupScopes.Day(today.AddDays(-i))).ToList();
        var spend = await ReadAsync(scopes, [month, .. days], ct);

        var remaining = (decimal)(UsageWindows.MonthResets(now) - now).TotalDays;
        return scopes.Select(scope =>
        {
            var spent = UsageKeys.FromMicros(spend[(month, scope)].Micros);
            var (average, forecast) = Project(spent, UsageKeys.FromMicros(days.Sum(d => spend[(d, scope)].Micros)), remaining);
            return new MonthForecast(scope, month[2..], spent, average, Math.Round(remaining, 4), forecast);
        }).ToList();
    }

    /// <summary>
    /// The method itself, for any moment: the daily average of the last <see cref="AverageDays"/> full days and
    /// spent + that average × the days left, both rounded to the micro-dollar.
    /// </summary>
    public static (decimal DailyAverageUsd, decimal ForecastUsd) Project(decimal spentUsd, decimal lastDaysSpentUsd, decimal remainingDays)
    {
        var average = lastDaysSpentUsd / AverageDays;
        return (Math.Round(average, 6), Math.Round(spentUsd + average * remainingDays, 6));
    }

    /// <summary>Cost per (window, scope): the rollup row plus the ledger rows past the position it holds everything up to.</summary>
    private async Task<Dictionary<(string Window, string Scope), Entry>> ReadAsync(IReadOnlyList<string> scopes, IReadOnlyList<string> windows, CancellationToken ct)
    {
        // The checkpoint first: a rollup row read after it holds every row up to Applied, or up to its own Through if
        // that is later (batches are applied in order, see UsageRollup).
        var applied = (await checkpoints.ReadAsync(ct)).Applied;
        var keys = scopes.Distinct().SelectMany(s => windows.Select(w => (Window: w, Scope: s))).ToList();
        var rows = await Task.WhenAll(keys.Select(k => rollups.GetEntryAsync(k.Scope, k.Window, ct)));
        var entries = keys.Select((k, i) => (k, Entry: new Entry(rows[i].Totals.CostMicros, LedgerPosition.Max(rows[i].Through, applied))))
            .ToDictionary(e => e.k, e => e.Entry);

        var keyCache = new ScopeKeyCache();
        var rowScopes = new List<string>(5);
        await ledger.ReadAsync(applied, End, long.MaxValue, limit: null, row =>
        {
            var (day, monthKey) = keyCache.Windows(row.CreatedAt);
            keyCache.Scopes(row, rowScopes);
            foreach (var scope in rowScopes)
            {
                foreach (var window in (ReadOnlySpan<string>)[day, monthKey])
                {
                    if (entries.TryGetValue((window, scope), out var entry) && row.Position > entry.Through)
                        entry.Micros += row.CostMicros;
                }
            }
        }, ct);
        return entries;
    }

    private sealed class Entry(long micros, LedgerPosition through)
    {
        public long Micros { get; set; } = micros;

        public LedgerPosition Through { get; } = through;
    }
}
