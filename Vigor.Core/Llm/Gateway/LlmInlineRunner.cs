namespace Vigor.Core.Llm.Gateway;

/// <summary>What an inline start came to: the finished output, or the state the orchestrator goes on from.</summary>
internal abstract record InlineOutcome
{
    /// <param name="Stored">The job's output as stored in its row with the settle step's writes (Durable's serialization), or
    /// null when it was not (the caller stores it); <paramref name="HandedOver"/>: the row was the orchestrator's by then.</param>
    /// <param name="Settling">The settle step still to run, when the feature answers first (<see cref="ILlmFeature.SettlesAfterAnswer"/>).</param>
    public sealed record Finished(LlmJobOutput Output, string? Stored = null, bool HandedOver = false, DeferredSettle? Settling = null) : InlineOutcome;

    public sealed record HandOver(LlmResume Resume) : InlineOutcome;
}

/// <summary>
/// The gateway's fast path, in the instance that took the HTTP request: route, reserve, the first candidate's call,
/// settle and complete, with the very services the orchestrator's activities run (and <see cref="LlmOrchestrator"/>'s
/// own decisions), so quotas, budgets, breakers, ledger and cache behave the same. A cache hit, a quota denial, the
/// offline coach and a first candidate that answers (most requests) finish here without a Durable round trip, which on
/// the Azure Storage backend alone costs more than the whole request. Anything else (the first candidate failing, its
/// answer invalid, a provider cap) hands over to the orchestrator with the route, the reservation and the attempt made:
/// the fallback chain, its retries and its durability are Durable's. Every step is keyed by the job id, as the activities
/// are, and the job's input is stored before the first step, so if this instance dies mid-way
/// <see cref="Jobs.LlmJobRecovery"/> hands the job to the orchestrator, which re-runs the steps without counting twice.
/// </summary>
internal sealed class LlmInlineRunner(
    LlmRouter router, BudgetGate gate, LlmAttemptRunner runner, LlmSettlement settlement, LlmCache cache, IEnumerable<ILlmFeature> features)
{
    /// <summary>Routing's reads that do not depend on the prompt (<see cref="LlmRouter.Prefetch"/>), not tied to the caller.</summary>
    public RoutePrefetch Prefetch(Guid userId) => router.Prefetch(userId, CancellationToken.None);

    /// <summary>Routing's reads as statements for the feature's first batch (<see cref="LlmRouter.Reads"/>).</summary>
    public RouteReads Reads(Guid userId) => router.Reads(userId, CancellationToken.None);

    /// <param name="createRow">The job's row (<see cref="Jobs.JobRepository.CreateStatement"/>): it commits with the reservation, the
    /// first write of the job, in one round trip; nothing is reserved before the row exists, so recovery finds every job.</param>
    /// <param name="row">The job's row as <paramref name="createRow"/> writes it (a remembered cache hit writes it complete instead).</param>
    public async Task<InlineOutcome> RunAsync(LlmJob job, RoutePrefetch prefetch, Jobs.JobRepository.Row row, Lazy<Infrastructure.Data.PgStatement> createRow, CancellationToken ct)
    {
        // The plan for a miss: the cache is read with the reservation, in its round trip. A hit then releases what the
        // reservation held (the settle step's actual cost is zero); the request counts once either way, as it always did.
        var (plan, context) = await router.RouteWithContextAsync(job, prefetch, ct, readCache: false);
        if (job.CacheKey is not null && cache.Recall(job.CacheKey) is { } remembered
            && await RememberedHitAsync(job, plan, context.Tier, remembered, row, ct) is { } hit)
            return hit;
        var cacheRead = job.CacheKey is null ? null : LlmCache.GetStatement(job.CacheKey);
        // The first candidate's provider hold goes with the reservation (one round trip for the user's, the global and the
        // provider's counters); the reservation takes it only when the plan's candidates stand (a budget was held).
        var first = plan.Candidates.FirstOrDefault();
        var firstProvider = first is null ? null : context.Providers.FirstOrDefault(p => p.Id == first.ProviderId);
        var firstHold = firstProvider is { IsOffline: false }
            ? new FirstHold(LlmAttemptRunner.AttemptKey(job, 1), firstProvider, LlmAttemptRunner.WorstCaseMicros(job, firstProvider))
            : null;
        var (reservation, hold) = await gate.ReserveAsync(job.JobId, job.UserId, context.Tier, plan.WorstCaseMicros, context.GlobalLimit, firstHold, ct,
            with: cacheRead is null ? [createRow.Value] : [createRow.Value, cacheRead]);
        if (reservation.Denial != Denial.None)
            return new InlineOutcome.Finished(LlmOrchestrator.DeniedOutput(reservation));
        if (cacheRead?.Results.SingleOrDefault()?.Text is { } cached)
        {
            plan = plan with { CachedText = cached };
            cache.Remember(job.CacheKey!, cached);
        }

        var attempts = new List<AttemptResult>();
        var text = plan.CachedText;
        ProviderSettle? providerSettle = null;
        if (text is null)
        {
            var candidate = LlmOrchestrator.CandidatesOf(plan, reservation).First();
            var known = context.Providers.FirstOrDefault(p => p.Id == candidate.ProviderId);
            AttemptResult attempt;
            if (hold == ProviderHold.NotTried)
                attempt = await runner.RunAsync(job, 1, candidate, ct, known);
            else
            {
                // Held or refused with the reservation, which took it for this very candidate (the plan's first).
                attempt = hold == ProviderHold.Refused
                    ? LlmAttemptRunner.Failed(firstProvider!, Outcomes.CapReached)
                    : await runner.RunAsync(job, 1, candidate, ct, firstProvider, heldByCaller: true);
                if (hold == ProviderHold.Held)
                    providerSettle = LlmAttemptRunner.ProviderSettleOf(job, 1, firstProvider!, attempt);
            }
            attempts.Add(attempt);
            if (!attempt.Succeeded)
            {
                // The orchestrator goes on with the next candidate; this attempt's hold is settled before it does.
                if (providerSettle is not null)
                    await gate.SettleProviderAsync(providerSettle, ct);
                return new InlineOutcome.HandOver(new LlmResume(plan, reservation, attempts));
            }
            text = attempt.Text;
        }
        else if (hold == ProviderHold.Held)
        {
            // A cache hit calls no provider: the hold taken with the reservation is released with the rest.
            providerSettle = new ProviderSettle(firstHold!.AttemptKey, firstHold.Provider.Id, firstHold.WorstCaseMicros, 0);
        }

        var result = LlmOrchestrator.ResultOf(plan, attempts, text);
        var settleInput = LlmOrchestrator.SettleInputOf(job, plan, reservation, attempts, text);
        var feature = features.First(f => f.Name == job.Feature);
        if (feature.CompleteStatement(job, result) is { } complete)
        {
            // The ledger rows, the counters, the feature's write and the job's result: one round trip, one transaction.
            var output = new LlmJobOutput(result, complete.Payload);
            var stored = Jobs.JobService.Converter.Serialize(output)!;
            Infrastructure.Data.PgStatement[] writes = [complete.Write, Jobs.JobRepository.CompleteStatement(job.JobId, stored)];
            if (feature.SettlesAfterAnswer)
                return new InlineOutcome.Finished(output, stored,
                    Settling: new DeferredSettle(settleInput, providerSettle, writes, new LlmResume(plan, reservation, attempts)));
            var changed = await settlement.SettleAsync(settleInput, ct, providerSettle, writes);
            return new InlineOutcome.Finished(output, stored, HandedOver: changed[1] == 0);
        }
        // Settling (ledger, counters, cache) and the feature's completion (the stored reply or plan) are independent.
        var settle = settlement.SettleAsync(settleInput, ct, providerSettle);
        var payload = feature.CompleteAsync(job, result, ct);
        await Task.WhenAll(settle, payload);
        return new InlineOutcome.Finished(new LlmJobOutput(result, await payload));
    }

    /// <summary>
    /// A settle step that <see cref="RunAsync"/> left to run after the answer: the same one batch, idempotent by job id, so
    /// it can be tried again.
    /// </summary>
    /// <returns>True when the job's row took the result (false: the job had been handed over meanwhile).</returns>
    public async Task<bool> SettleAsync(DeferredSettle settling, CancellationToken ct)
        => (await settlement.SettleAsync(settling.Input, ct, settling.Provider, settling.Writes))[1] > 0;

    /// <summary>Releases the first candidate's provider hold of a settle that could not run, before the orchestrator takes the job over.</summary>
    public Task ReleaseHoldAsync(DeferredSettle settling, CancellationToken ct)
        => settling.Provider is { } provider ? gate.SettleProviderAsync(provider, ct) : Task.CompletedTask;

    /// <summary>
    /// A remembered cache hit answered from a unit of a quota lease (<see cref="QuotaLeases"/>), with no round trip before the
    /// answer: the lease already counted the request, and a hit holds no budget. Returns the answer and the hit's writes (the
    /// unit marked used, the ledger row, the feature's write, the job's row written complete: one batch, one transaction,
    /// idempotent by job id) for the caller to commit right after answering. Null when the feature does not write by statement.
    /// </summary>
    public (InlineOutcome.Finished Answer, Func<CancellationToken, Task> Write)? LeasedHit(LlmJob job, LlmCache.Remembered remembered,
        Jobs.JobRepository.Row row, QuotaLeases.Lease lease)
    {
        if (HitOf(job, new RoutePlan([], null, 0), remembered) is not (var output, var input, var write))
            return null;
        Infrastructure.Data.PgStatement[] before = [QuotaLeases.UseStatement(lease, job.JobId)];
        // The output is serialised for the job's row after the answer, with the rest of the hit's writes.
        return (new InlineOutcome.Finished(output), ct => settlement.CommitHitAsync(input, before, HitWrites(write, row, output).Writes, ct));
    }

    /// <summary>A cache hit's output, its settle input and the feature's write; null when the feature does not write by statement.</summary>
    private (LlmJobOutput Output, SettleInput Input, Infrastructure.Data.PgStatement Write)? HitOf(LlmJob job, RoutePlan plan, LlmCache.Remembered remembered)
    {
        var hitPlan = plan with { CachedText = remembered.Text };
        var result = LlmOrchestrator.ResultOf(hitPlan, [], remembered.Text);
        if (features.First(f => f.Name == job.Feature).CompleteStatement(job, result) is not { } complete)
            return null;
        var input = LlmOrchestrator.SettleInputOf(job, hitPlan, new Reservation(Denial.None, 0, false, null), [], remembered.Text);
        return (new LlmJobOutput(result, complete.Payload), input, complete.Write);
    }

    /// <summary>A hit's writes: the feature's, and the job's row written complete with the output as stored.</summary>
    private static (string Stored, Infrastructure.Data.PgStatement[] Writes) HitWrites(
        Infrastructure.Data.PgStatement write, Jobs.JobRepository.Row row, LlmJobOutput output)
    {
        var stored = Jobs.JobService.Converter.Serialize(output)!;
        return (stored, [write, Jobs.JobRepository.CreateCompletedStatement(row, stored)]);
    }

    /// <summary>
    /// A remembered cache hit for a request built from <see cref="LlmHitContexts"/> (the feature read nothing): the hit's one
    /// batch with <paramref name="contextGuard"/> first, so the whole request is one round trip. Null when the batch was
    /// stopped (the user, the profile or the tier changed; the quota refused; the entry changed) or this path does not
    /// apply: nothing was counted or written, and the caller goes the usual way with fresh reads.
    /// </summary>
    public async Task<InlineOutcome.Finished?> ContextHitAsync(LlmJob job, Usage.Tier tier, LlmCache.Remembered remembered,
        Jobs.JobRepository.Row row, Infrastructure.Data.PgStatement contextGuard, CancellationToken ct)
    {
        try
        {
            return await RememberedHitAsync(job, new RoutePlan([], null, 0), tier, remembered, row, ct, contextGuard) as InlineOutcome.Finished;
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == LlmHitContexts.ContextChanged)
        {
            return null;
        }
    }

    /// <summary>
    /// A cache hit on an entry this instance remembers: the request's quota (nothing else is held: a hit costs nothing), the
    /// guard, the ledger row, the feature's write and the job's row, written complete, in one round trip instead of two.
    /// Null when this path does not apply (the counters are not in PostgreSQL, the feature writes otherwise) or the guard
    /// stopped the batch, which then changed nothing: the caller goes the usual way, which gives the quota's refusal or
    /// reads the entry afresh.
    /// </summary>
    /// <param name="contextGuard">Sent first when the request was built from <see cref="LlmHitContexts"/> without a read: its
    /// <see cref="LlmHitContexts.ContextChanged"/> is not caught here (<see cref="ContextHitAsync"/> does).</param>
    private async Task<InlineOutcome?> RememberedHitAsync(LlmJob job, RoutePlan plan, Usage.Tier tier, LlmCache.Remembered remembered,
        Jobs.JobRepository.Row row, CancellationToken ct, Infrastructure.Data.PgStatement? contextGuard = null)
    {
        if (gate.QuotaStatement(job.JobId, job.UserId, tier) is not { } quota)
            return null;
        if (HitOf(job, plan, remembered) is not (var output, var input, var write))
            return null;
        var (stored, writes) = HitWrites(write, row, output);
        try
        {
            Infrastructure.Data.PgStatement[] guards = [quota.Statement, LlmCache.HitGuardStatement(job.CacheKey!, remembered, quota.Partition, quota.Marker)];
            var changed = await settlement.CommitHitAsync(input, contextGuard is null ? guards : [contextGuard, .. guards], writes, ct);
            return new InlineOutcome.Finished(output, stored, HandedOver: changed[1] == 0);
        }
        catch (Npgsql.PostgresException e) when (e.SqlState is LlmCache.QuotaRefused or LlmCache.EntryChanged)
        {
            if (e.SqlState == LlmCache.EntryChanged)
                cache.Forget(job.CacheKey!);
            return null;
        }
    }
}

/// <summary>
/// The settle step of an answer already given: its input, the provider hold it releases, the feature's and the job's writes
/// that commit with it, and where the orchestrator goes on from should it have to take over (the answer is the last attempt).
/// </summary>
internal sealed record DeferredSettle(SettleInput Input, ProviderSettle? Provider, IReadOnlyList<Infrastructure.Data.PgStatement> Writes, LlmResume Resume);
