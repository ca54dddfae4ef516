using Dapper;
using Npgsql;
using Vigor.Core.Infrastructure.Data;
using Vigor.Core.Usage;

namespace Vigor.Core.Llm.Gateway;

public enum Denial { None, QuotaDay, QuotaWeek, QuotaMonth }

/// <summary>What the reserve step decided: denied by quota, or allowed with the worst-case spend held (0 when only the offline coach may answer).</summary>
/// <remarks><paramref name="SpendMonth"/>: the monthly spend row that holds <paramref name="ReservedMicros"/>, so settling replaces the hold
/// in the month it was taken even when the request ends after midnight of the month's last day.</remarks>
public sealed record Reservation(Denial Denial, long ReservedMicros, bool BudgetExhausted, DateTimeOffset? ResetsAt, string? SpendMonth = null);

/// <summary>What became of the first candidate's provider hold asked of <see cref="BudgetGate.ReserveAsync(string, Guid, Tier, long, GlobalLimit?, FirstHold?, CancellationToken)"/>.</summary>
internal enum ProviderHold { NotTried, Held, Refused }

/// <summary>The first candidate's provider hold, taken with the reservation: the attempt's key, its provider and worst case.</summary>
internal sealed record FirstHold(string AttemptKey, ProviderRow Provider, long WorstCaseMicros);

/// <summary>A provider hold to settle: the attempt's key, the provider, the worst case held and the actual cost that replaces it.</summary>
internal sealed record ProviderSettle(string AttemptKey, Guid ProviderId, long HeldMicros, long ActualMicros);

/// <summary>
/// Exact quotas and budgets. A reservation counts the request in the tier's day/week/month quota and holds the
/// worst-case cost in the user's monthly budget (one transaction in the user's partition), then in the global
/// monthly budget. When a budget cannot hold the worst case, the request still counts but only the free offline
/// coach may answer it. Settling replaces the held amount by the actual cost. Every step is keyed by the job id,
/// so an activity that runs twice changes nothing the second time and answers as the first run did. Spend can exceed
/// a budget only by the reservations of requests already in flight, never more.
/// </summary>
internal sealed class BudgetGate(ICounterStore counters, NpgsqlDataSource dataSource, TimeProvider time, QuotaLeases? leases = null)
{
    /// <param name="global">The global limit when the caller has just read it (the inline path's route); read here when null.</param>
    public async Task<Reservation> ReserveAsync(string jobId, Guid userId, Tier tier, long worstCaseMicros, CancellationToken ct, GlobalLimit? global = null)
        => (await ReserveAsync(jobId, userId, tier, worstCaseMicros, global, null, ct)).Reservation;

    /// <summary>
    /// The reservation, and with <paramref name="firstHold"/> also the first candidate's provider hold
    /// (<see cref="HoldProviderAsync"/>), which is taken only when the reservation holds a budget (the candidates are then
    /// the plan's, not the offline coach alone). In the common case the user's, the global and the provider's change are
    /// one <see cref="ICounterStore.ApplyManyAsync"/> call (one round trip in PostgreSQL); the rare paths (a full
    /// budget, a re-run) go on step by step from where it stopped, exactly as before.
    /// </summary>
    /// <param name="with">Statements that go with the first counter call (the inline path's job row, its cache lookup): in its
    /// transaction and round trip when the counters live in PostgreSQL, just before it otherwise.</param>
    /// <returns><see cref="ProviderHold.NotTried"/> when the caller must hold the provider itself (the attempt runner does).</returns>
    public async Task<(Reservation Reservation, ProviderHold Hold)> ReserveAsync(
        string jobId, Guid userId, Tier tier, long worstCaseMicros, GlobalLimit? global, FirstHold? firstHold, CancellationToken ct,
        IReadOnlyList<PgStatement>? with = null, bool leasesReturned = false)
    {
        var now = time.GetUtcNow();
        var returnEpoch = leases?.ReturnEpoch ?? 0;
        var user = UsageKeys.User(userId);
        var heldRow = HeldRow(jobId);
        var quota = QuotaDeltas(tier, now);
        var held = worstCaseMicros;
        var operations = new List<CounterOperation>
        {
            new(user, "reserve:" + jobId,
                [.. quota, new CounterDelta(UsageKeys.SpendMonth(now), held, UsageKeys.ToMicros(tier.MonthlyBudgetUsd)), new CounterDelta(heldRow, held)]),
        };
        // The global step needs the limit: the caller's (just read), or read now when a budget is to be held.
        var globalLimit = global is not null ? global.Micros : worstCaseMicros > 0 ? await GlobalLimitMicrosAsync(ct) : null;
        if (held > 0)
        {
            operations.Add(new(UsageKeys.Global, "reserve:" + jobId, [new CounterDelta(UsageKeys.SpendMonth(now), held, globalLimit)]));
            if (firstHold is not null)
                operations.Add(ProviderHoldOperation(firstHold.AttemptKey, firstHold.Provider, firstHold.WorstCaseMicros, now));
        }
        var results = with is not { Count: > 0 }
            ? await counters.ApplyManyAsync(operations, stopUnlessApplied: true, ct)
            : (await ApplyWithAsync(counters.ApplyManyStatement(operations, stopUnlessApplied: true),
                async c => await c.ApplyManyAsync(operations, stopUnlessApplied: true, ct), with, ct, withFirst: true)).Counters;
        var (result, limitRow) = results[0];
        if (result == CounterResult.LimitReached && limitRow == UsageKeys.SpendMonth(now))
        {
            held = 0;
            (result, limitRow) = await counters.TryApplyAsync(user, "reserve:" + jobId,
                [.. quota, new CounterDelta(UsageKeys.SpendMonth(now), 0), new CounterDelta(heldRow, 0)], ct);
        }
        if (result == CounterResult.LimitReached)
        {
            // This instance's quota leases of the user may hold what the quota lacks: they go back (once the writes of their
            // hits committed), and the reservation is tried again, so this instance never refuses while it holds the user's units.
            // Again too when another request gave units back after this one read (its close was running meanwhile).
            if (!leasesReturned && leases is not null && (await leases.ReturnAsync(userId, ct) > 0 || leases.ReturnEpoch != returnEpoch))
                return await ReserveAsync(jobId, userId, tier, worstCaseMicros, global, firstHold, ct, with: null, leasesReturned: true);
            var denied = limitRow == UsageKeys.RequestsDay(now) ? new Reservation(Denial.QuotaDay, 0, false, UsageWindows.DayResets(now))
                : limitRow == UsageKeys.RequestsWeek(now) ? new Reservation(Denial.QuotaWeek, 0, false, UsageWindows.WeekResets(now))
                : new Reservation(Denial.QuotaMonth, 0, false, UsageWindows.MonthResets(now));
            return (denied, ProviderHold.NotTried);
        }
        if (result == CounterResult.AlreadyApplied)
        {
            // A re-run: the first run's hold is on record (0 when it found the budget full, or released since by the global step
            // below). Assuming the worst case here would call a model for a user whose budget is spent, and settle would then
            // release a hold that was never taken.
            held = (await counters.GetAsync(user, [heldRow], ct)).GetValueOrDefault(heldRow);
        }
        if (held == 0)
            return (new Reservation(Denial.None, 0, BudgetExhausted: worstCaseMicros > 0, null), ProviderHold.NotTried);

        var globalResult = results.Count > 1 ? results[1].Result
            : await counters.ApplyAsync(UsageKeys.Global, "reserve:" + jobId, [new CounterDelta(UsageKeys.SpendMonth(now), held, globalLimit)], ct);
        if (globalResult == CounterResult.LimitReached)
        {
            await counters.ApplyAsync(user, "unhold:" + jobId, [new CounterDelta(UsageKeys.SpendMonth(now), -held), new CounterDelta(heldRow, -held)], ct);
            return (new Reservation(Denial.None, 0, BudgetExhausted: true, null), ProviderHold.NotTried);
        }
        var hold = results.Count > 2 ? results[2].Result == CounterResult.LimitReached ? ProviderHold.Refused : ProviderHold.Held : ProviderHold.NotTried;
        return (new Reservation(Denial.None, held, false, null, UsageKeys.SpendMonth(now)), hold);
    }

    private static List<CounterDelta> QuotaDeltas(Tier tier, DateTimeOffset now) =>
    [
        new(UsageKeys.RequestsDay(now), 1, tier.RequestsPerDay),
        new(UsageKeys.RequestsWeek(now), 1, tier.RequestsPerWeek),
        new(UsageKeys.RequestsMonth(now), 1, tier.RequestsPerMonth),
    ];

    /// <summary>
    /// The request's quota alone, as a statement for the caller's batch (a remembered cache hit, which holds no budget):
    /// the reservation's operation without its budget rows, under the reservation's own key, so a job's request counts
    /// once whichever of the two applies first. Null when the counters do not live in PostgreSQL. <c>Partition</c>/<c>Marker</c>: the row that exists
    /// once the quota took the request (<see cref="LlmCache.HitGuardStatement"/>).
    /// </summary>
    internal (PgStatement Statement, string Partition, string Marker)? QuotaStatement(string jobId, Guid userId, Tier tier)
    {
        var operation = new CounterOperation(UsageKeys.User(userId), "reserve:" + jobId, QuotaDeltas(tier, time.GetUtcNow()));
        return counters.ApplyManyStatement([operation], stopUnlessApplied: true) is { } call
            ? (call.Statement, operation.Partition, PgCounterStore.MarkerRow(operation.Operation))
            : null;
    }

    /// <summary>
    /// What a job holds in its user's budget, written in the same transaction as the reservation so a re-run can read it.
    /// It lives in the operation-marker range ("op:") so <see cref="ICounterStore.PurgeMarkersAsync"/> removes it together
    /// with the markers that make a re-run a no-op.
    /// </summary>
    internal static string HeldRow(string jobId) => "op:held:" + jobId;

    /// <summary>
    /// Replaces the held worst case by the actual cost in the user's and the global budget, in the month of the hold, and
    /// settles <paramref name="provider"/>'s hold when the caller deferred it (<see cref="ProviderHold.Held"/>). Every
    /// change is keyed by the job, and they only ever travel together: one <see cref="ICounterStore.ApplyTogetherAsync"/> call.
    /// </summary>
    /// <param name="with">Writes that commit with the settlement (the ledger rows; on the inline path the feature's result and the
    /// job's): their results are returned, in order (null without them).</param>
    public async Task<PgBatchResult?> SettleAsync(string jobId, Guid userId, long reservedMicros, long actualMicros, CancellationToken ct, string? reservedMonth = null,
        ProviderSettle? provider = null, IReadOnlyList<PgStatement>? with = null)
    {
        var now = time.GetUtcNow();
        var change = actualMicros - reservedMicros;
        var month = reservedMonth ?? UsageKeys.SpendMonth(now);
        // A change of zero changes nothing, so it is not written (a cache hit or an offline answer with nothing held
        // settles without touching a counter): whether it ran before or not, the counters are the same.
        var operations = new List<CounterOperation>();
        if (change != 0)
            operations.Add(new(UsageKeys.User(userId), "settle:" + jobId, [new CounterDelta(month, change)]));
        if (change != 0 || actualMicros != 0)
            operations.Add(new(UsageKeys.Global, "settle:" + jobId, [new CounterDelta(month, change), new CounterDelta(UsageKeys.SpendDay(now), actualMicros)]));
        if (provider is not null)
            operations.Add(ProviderSettleOperation(provider, now));
        with ??= [];
        if (with.Count == 0)
        {
            if (operations.Count > 0)
                await counters.ApplyTogetherAsync(operations, ct);
            return null;
        }
        var call = operations.Count > 0 ? counters.ApplyTogetherStatement(operations) : null;
        return (await ApplyWithAsync(call, operations.Count == 0 ? null : async c => [(await c.ApplyTogetherAsync(operations, ct), null)], with, ct)).With;
    }

    /// <summary>
    /// The counter call and the other writes that commit with it: one batch (one round trip, one transaction) when the
    /// counters live in PostgreSQL. Otherwise the writes and the counter call are two calls: at the same time, or with
    /// <paramref name="withFirst"/> the writes committed before the counters change (a job's row before its reservation).
    /// </summary>
    private async Task<(IReadOnlyList<(CounterResult Result, string? LimitRow)> Counters, PgBatchResult With)> ApplyWithAsync(
        CounterStatement? call, Func<ICounterStore, Task<IReadOnlyList<(CounterResult Result, string? LimitRow)>>>? separately,
        IReadOnlyList<PgStatement> with, CancellationToken ct, bool withFirst = false)
    {
        if (call is not null)
        {
            var batch = await PgBatch.ExecuteAsync(dataSource, [.. with, call.Statement], ct);
            return (call.Read(batch.Rows[^1]), batch);
        }
        var written = PgBatch.ExecuteAsync(dataSource, with, ct);
        if (withFirst)
            await written;
        var applied = separately is null ? [] : await separately(counters);
        return (applied, await written);
    }

    /// <summary>Holds a provider's worst case against its daily and monthly caps; false when a cap cannot hold it.</summary>
    public async Task<bool> HoldProviderAsync(string attemptKey, ProviderRow provider, long worstCaseMicros, CancellationToken ct)
    {
        var hold = ProviderHoldOperation(attemptKey, provider, worstCaseMicros, time.GetUtcNow());
        return await counters.ApplyAsync(hold.Partition, hold.Operation, hold.Deltas, ct) != CounterResult.LimitReached;
    }

    public async Task SettleProviderAsync(ProviderSettle provider, CancellationToken ct)
    {
        var settle = ProviderSettleOperation(provider, time.GetUtcNow());
        await counters.ApplyAsync(settle.Partition, settle.Operation, settle.Deltas, ct);
    }

    private static CounterOperation ProviderHoldOperation(string attemptKey, ProviderRow provider, long worstCaseMicros, DateTimeOffset now)
        => new(UsageKeys.Provider(provider.Id), "hold:" + attemptKey,
        [
            new CounterDelta(UsageKeys.SpendDay(now), worstCaseMicros, provider.DailyCapUsd is { } d ? UsageKeys.ToMicros(d) : null),
            new CounterDelta(UsageKeys.SpendMonth(now), worstCaseMicros, provider.MonthlyCapUsd is { } m ? UsageKeys.ToMicros(m) : null),
        ]);

    private static CounterOperation ProviderSettleOperation(ProviderSettle settle, DateTimeOffset now)
    {
        var change = settle.ActualMicros - settle.HeldMicros;
        return new(UsageKeys.Provider(settle.ProviderId), "settle:" + settle.AttemptKey,
            [new CounterDelta(UsageKeys.SpendDay(now), change), new CounterDelta(UsageKeys.SpendMonth(now), change)]);
    }

    private async Task<long?> GlobalLimitMicrosAsync(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleAsync<(decimal Limit, bool HardStop)>(new CommandDefinition(
            "SELECT global_monthly_usd, hard_stop FROM budget_settings WHERE id = 1", cancellationToken: ct));
        return row.HardStop ? UsageKeys.ToMicros(row.Limit) : null;
    }
}
