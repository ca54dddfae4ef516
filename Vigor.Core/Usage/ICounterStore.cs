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

    Task<IReadOnlyDictionary<string, long>> GetAsync(string partition, IEnumerable<string> rows, CancellationToken ct);

    /// <summary>Deletes operation markers (and the rows kept beside them, "op:" keys) older than <paramref name="age"/>; counters stay.</summary>
    Task<int> PurgeMarkersAsync(TimeSpan age, CancellationToken ct);
}

public sealed class CounterStoreOptions
{
    public const string Section = "Llm:Counters";
    public const string PostgreSql = "PostgreSQL";
    public const string TableStorage = "TableStorage";

    /// <summary><see cref="PostgreSql"/> (default) or <see cref="TableStorage"/>.</summary>
    public string Store { get; set; } = PostgreSql;
}
