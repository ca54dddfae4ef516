namespace Vigor.Core.Usage;

public enum CounterResult { Applied, AlreadyApplied, LimitReached }

/// <summary>
/// The gateway's exact live counters (quotas and spend, see <see cref="UsageKeys"/>). A call changes rows of one
/// partition all at once or not at all, refuses a positive delta that would pass its limit however many writers race,
/// and is a no-op when its operation key was applied before (activities run at least once). Two stores keep this
/// contract: <see cref="PgCounterStore"/> (the default: one round trip to the database the ledger lives in) and
/// <see cref="CounterStore"/> (Table Storage with ETags), chosen by <see cref="CounterStoreOptions.Store"/>.
/// </summary>
public interface ICounterStore
{
    Task<CounterResult> ApplyAsync(string partition, string operation, IReadOnlyList<CounterDelta> deltas, CancellationToken ct);

    /// <summary>As <see cref="ApplyAsync"/>, also naming the row whose limit refused the change.</summary>
    Task<(CounterResult Result, string? LimitRow)> TryApplyAsync(string partition, string operation, IReadOnlyList<CounterDelta> deltas, CancellationToken ct);

    /// <summary>
    /// Applies <paramref name="operations"/> in order, each exactly as <see cref="TryApplyAsync"/> would (all or nothing in
    /// its partition, a no-op when its key was applied before). With <paramref name="stopUnlessApplied"/> it stops after
    /// the first that did not apply (already applied, or refused by a limit): the answer then lists only the operations
    /// tried, and the caller goes on from there. Operations that must lock rows of several partitions list them in one
    /// order everywhere (user, global, provider), so that concurrent calls cannot deadlock.
    /// <see cref="PgCounterStore"/> makes the whole call one round trip and one transaction; the default makes one call
    /// per operation (in parallel when nothing stops early).
    /// </summary>
    async Task<IReadOnlyList<(CounterResult Result, string? LimitRow)>> ApplyManyAsync(
        IReadOnlyList<CounterOperation> operations, bool stopUnlessApplied, CancellationToken ct)
    {
        if (!stopUnlessApplied)
            return await Task.WhenAll(operations.Select(o => TryApplyAsync(o.Partition, o.Operation, o.Deltas, ct)));
        var results = new List<(CounterResult, string?)>(operations.Count);
        foreach (var o in operations)
        {
            var result = await TryApplyAsync(o.Partition, o.Operation, o.Deltas, ct);
            results.Add(result);
            if (result.Result != CounterResult.Applied)
                break;
        }
        return results;
    }

    /// <summary>
    /// <see cref="ApplyManyAsync"/> as a statement that another component's batch carries (<see cref="Infrastructure.Data.PgBatch"/>:
    /// one round trip and one transaction with its own writes), and how to read its answer; null when the store does not
    /// live in PostgreSQL (the caller then makes the call itself).
    /// </summary>
    CounterStatement? ApplyManyStatement(IReadOnlyList<CounterOperation> operations, bool stopUnlessApplied) => null;

    /// <summary>
    /// Applies operations that only ever travel together (a settlement) as ONE operation: repeated, the whole call is a
    /// no-op. No limits. <see cref="PgCounterStore"/> keeps one marker row for the call (the first operation's, in its
    /// partition) instead of one per operation; the default applies each with its own marker, which is as idempotent.
    /// </summary>
    /// <returns>Applied when anything was applied, else AlreadyApplied.</returns>
    async Task<CounterResult> ApplyTogetherAsync(IReadOnlyList<CounterOperation> operations, CancellationToken ct)
    {
        var results = await ApplyManyAsync(operations, stopUnlessApplied: false, ct);
        return results.Any(r => r.Result == CounterResult.Applied) ? CounterResult.Applied : CounterResult.AlreadyApplied;
    }

    /// <summary><see cref="ApplyTogetherAsync"/> as a statement for another component's batch; null when the store does not live in PostgreSQL.</summary>
    CounterStatement? ApplyTogetherStatement(IReadOnlyList<CounterOperation> operations) => null;

    /// <summary><see cref="GetAsync"/> as a statement for another component's batch; null when the store does not live in PostgreSQL.</summary>
    CounterRead? GetStatement(string partition, IEnumerable<string> rows) => null;

    Task<IReadOnlyDictionary<string, long>> GetAsync(string partition, IEnumerable<string> rows, CancellationToken ct);

    /// <summary>Deletes operation markers (and the rows kept beside them, "op:" keys) older than <paramref name="age"/>; counters stay.</summary>
    Task<int> PurgeMarkersAsync(TimeSpan age, CancellationToken ct);
}

/// <summary>One operation of <see cref="ICounterStore.ApplyManyAsync"/>: the arguments of one <see cref="ICounterStore.TryApplyAsync"/> call.</summary>
public sealed record CounterOperation(string Partition, string Operation, IReadOnlyList<CounterDelta> Deltas);

/// <summary>An <see cref="ICounterStore.ApplyManyAsync"/> call as a statement, and the reading of the rows it returned.</summary>
public sealed record CounterStatement(
    Infrastructure.Data.PgStatement Statement, Func<IReadOnlyList<object?[]>, IReadOnlyList<(CounterResult Result, string? LimitRow)>> Read);

/// <summary>A <see cref="ICounterStore.GetAsync"/> call as a statement, and its answer once the batch has run.</summary>
public sealed record CounterRead(Infrastructure.Data.PgStatement Statement, Func<IReadOnlyDictionary<string, long>> Result);

public sealed class CounterStoreOptions
{
    public const string Section = "Llm:Counters";
    public const string PostgreSql = "PostgreSQL";
    public const string TableStorage = "TableStorage";

    /// <summary><see cref="PostgreSql"/> (default) or <see cref="TableStorage"/>.</summary>
    public string Store { get; set; } = PostgreSql;
}
