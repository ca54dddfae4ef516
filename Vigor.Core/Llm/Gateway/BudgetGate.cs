using Dapper;
using Npgsql;
using Vigor.Core.Usage;

namespace Vigor.Core.Llm.Gateway;

public enum Denial { None, QuotaDay, QuotaWeek, QuotaMonth }

/// <summary>What the reserve step decided: denied by quota, or allowed with the worst-case spend held (0 when only the offline coach may answer).</summary>
/// <remarks><paramref name="SpendMonth"/>: the monthly spend row that holds <paramref name="ReservedMicros"/>, so settling replaces the hold
/// in the month it was taken even when the request ends after midnight of the month's last day.</remarks>
public sealed record Reservation(Denial Denial, long ReservedMicros, bool BudgetExhausted, DateTimeOffset? ResetsAt, string? SpendMonth = null);

/// <summary>
/// Exact quotas and budgets. A reservation counts the request in the tier's day/week/month quota and holds the
/// worst-case cost in the user's monthly budget (one transaction in the user's partition), then in the global
/// monthly budget. When a budget cannot hold the worst case, the request still counts but only the free offline
/// coach may answer it. Settling replaces the held amount by the actual cost. Every step is keyed by the job id,
/// so an activity that runs twice changes nothing the second time and answers as the first run did. Spend can exceed
/// a budget only by the reservations of requests already in flight, never more.
/// </summary>
internal sealed class BudgetGate(ICounterStore counters, NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <param name="global">The global limit when the caller has just read it (the inline path's route); read here when null.</param>
    public async Task<Reservation> ReserveAsync(string jobId, Guid userId, Tier tier, long worstCaseMicros, CancellationToken ct, GlobalLimit? global = null)
    {
        var now = time.GetUtcNow();
        var user = UsageKeys.User(userId);
        var heldRow = HeldRow(jobId);
        var quota = new List<CounterDelta>
        {
            new(UsageKeys.RequestsDay(now), 1, tier.RequestsPerDay),
            new(UsageKeys.RequestsWeek(now), 1, tier.RequestsPerWeek),
            new(UsageKeys.RequestsMonth(now), 1, tier.RequestsPerMonth),
        };
        var held = worstCaseMicros;
        var (result, limitRow) = await counters.TryApplyAsync(user, "reserve:" + jobId,
            [.. quota, new CounterDelta(UsageKeys.SpendMonth(now), held, UsageKeys.ToMicros(tier.MonthlyBudgetUsd)), new CounterDelta(heldRow, held)], ct);
        if (result == CounterResult.LimitReached && limitRow == UsageKeys.SpendMonth(now))
        {
            held = 0;
            (result, limitRow) = await counters.TryApplyAsync(user, "reserve:" + jobId,
                [.. quota, new CounterDelta(UsageKeys.SpendMonth(now), 0), new CounterDelta(heldRow, 0)], ct);
        }
        if (result == CounterResult.LimitReached)
        {
            return limitRow == UsageKeys.RequestsDay(now) ? new Reservation(Denial.QuotaDay, 0, false, UsageWindows.DayResets(now))
                : limitRow == UsageKeys.RequestsWeek(now) ? new Reservation(Denial.QuotaWeek, 0, false, UsageWindows.WeekResets(now))
                : new Reservation(Denial.QuotaMonth, 0, false, UsageWindows.MonthResets(now));
        }
        if (result == CounterResult.AlreadyApplied)
        {
            // A re-run: the first run's hold is on record (0 when it found the budget full, or released since by the global step
            // below). Assuming the worst case here would call a model for a user whose budget is spent, and settle would then
            // release a hold that was never taken.
            held = (await counters.GetAsync(user, [heldRow], ct)).GetValueOrDefault(heldRow);
        }
        if (held == 0)
            return new Reservation(Denial.None, 0, BudgetExhausted: worstCaseMicros > 0, null);

        var globalLimit = global is not null ? global.Micros : await GlobalLimitMicrosAsync(ct);
        var globalResult = await counters.ApplyAsync(UsageKeys.Global, "reserve:" + jobId, [new CounterDelta(UsageKeys.SpendMonth(now), held, globalLimit)], ct);
        if (globalResult == CounterResult.LimitReached)
        {
            await counters.ApplyAsync(user, "unhold:" + jobId, [new CounterDelta(UsageKeys.SpendMonth(now), -held), new CounterDelta(heldRow, -held)], ct);
            return new Reservation(Denial.None, 0, BudgetExhausted: true, null);
        }
        return new Reservation(Denial.None, held, false, null, UsageKeys.SpendMonth(now));
    }

    /// <summary>
    /// What a job holds in its user's budget, written in the same transaction as the reservation so a re-run can read it.
    /// It lives in the operation-marker range ("op:") so <see cref="ICounterStore.PurgeMarkersAsync"/> removes it together
    /// with the markers that make a re-run a no-op.
    /// </summary>
    internal static string HeldRow(string jobId) => "op:held:" + jobId;

    /// <summary>Replaces the held worst case by the actual cost in the user's and the global budget, in the month of the hold.</summary>
    public async Task SettleAsync(string jobId, Guid userId, long reservedMicros, long actualMicros, CancellationToken ct, string? reservedMonth = null)
    {
        var now = time.GetUtcNow();
        var change = actualMicros - reservedMicros;
        var month = reservedMonth ?? UsageKeys.SpendMonth(now);
        // Two partitions, each change keyed by the job: independent, so written at the same time.
        await Task.WhenAll(
            counters.ApplyAsync(UsageKeys.User(userId), "settle:" + jobId, [new CounterDelta(month, change)], ct),
            counters.ApplyAsync(UsageKeys.Global, "settle:" + jobId,
                [new CounterDelta(month, change), new CounterDelta(UsageKeys.SpendDay(now), actualMicros)], ct));
    }

    /// <summary>Holds a provider's worst case against its daily and monthly caps; false when a cap cannot hold it.</summary>
    public async Task<bool> HoldProviderAsync(string attemptKey, ProviderRow provider, long worstCaseMicros, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var result = await counters.ApplyAsync(UsageKeys.Provider(provider.Id), "hold:" + attemptKey,
        [
            new CounterDelta(UsageKeys.SpendDay(now), worstCaseMicros, provider.DailyCapUsd is { } d ? UsageKeys.ToMicros(d) : null),
            new CounterDelta(UsageKeys.SpendMonth(now), worstCaseMicros, provider.MonthlyCapUsd is { } m ? UsageKeys.ToMicros(m) : null),
        ], ct);
        return result != CounterResult.LimitReached;
    }

    public async Task SettleProviderAsync(string attemptKey, Guid providerId, long heldMicros, long actualMicros, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await counters.ApplyAsync(UsageKeys.Provider(providerId), "settle:" + attemptKey,
            [new CounterDelta(UsageKeys.SpendDay(now), actualMicros - heldMicros), new CounterDelta(UsageKeys.SpendMonth(now), actualMicros - heldMicros)], ct);
    }

    private async Task<long?> GlobalLimitMicrosAsync(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleAsync<(decimal Limit, bool HardStop)>(new CommandDefinition(
            "SELECT global_monthly_usd, hard_stop FROM budget_settings WHERE id = 1", cancellationToken: ct));
        return row.HardStop ? UsageKeys.ToMicros(row.Limit) : null;
    }
}
