using System.Collections.Concurrent;

namespace Vigor.Core.Auth;

/// <summary>
/// The role and status of recently seen users, so a request need not read them from PostgreSQL each time, and still
/// exact: an entry is dropped by <see cref="Invalidate"/>, which runs in process right after this instance commits a change
/// (before its API answers) and, for a change made anywhere else, when PostgreSQL delivers the change's notification to
/// <see cref="AuthStateListener"/> (the users trigger of migration 0012 notifies at commit). Nothing is cached while that
/// listener is not listening, and every (re)connect empties the cache, so a notification lost with a broken connection
/// cannot leave a stale entry. A read races a change safely: <see cref="Store"/> keeps a value only when no invalidation
/// happened since its read began (<see cref="Generation"/>).
/// </summary>
public sealed class AuthStateCache(TimeProvider time)
{
    /// <summary>Entries older than this are read again anyway: a bound on staleness should a notification ever go astray.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    /// <summary>More entries than this empty the cache (one user's entry is ~100 bytes).</summary>
    public const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<Guid, Entry> entries = new();
    private long generation;
    private volatile bool listening;

    /// <summary>Whether entries are kept: only while the listener holds its LISTEN.</summary>
    public bool Listening => listening;

    /// <summary>Take it before reading a user's state; pass it to <see cref="Store"/>.</summary>
    public long Generation => Interlocked.Read(ref generation);

    public int Count => entries.Count;

    public bool TryGet(Guid userId, out (string Role, string Status) state)
    {
        if (listening && entries.TryGetValue(userId, out var entry) && time.GetUtcNow() - entry.StoredAt < MaxAge)
        {
            state = (entry.Role, entry.Status);
            return true;
        }
        state = default;
        return false;
    }

    /// <summary>Keeps a state read from the database, unless anything was invalidated since <paramref name="generationAtRead"/>.</summary>
    public void Store(Guid userId, (string Role, string Status) state, long generationAtRead)
    {
        if (!listening || Generation != generationAtRead)
            return;
        if (entries.Count >= MaxEntries)
            entries.Clear();
        entries[userId] = new Entry(state.Role, state.Status, time.GetUtcNow());
        // An invalidation between the check above and the write: it may have run before the write, so undo the write.
        if (Generation != generationAtRead)
            entries.TryRemove(userId, out _);
    }

    public void Invalidate(Guid userId)
    {
        Interlocked.Increment(ref generation);
        entries.TryRemove(userId, out _);
    }

    /// <summary>Empties the cache; <paramref name="listening"/>: whether changes are being heard from now on.</summary>
    public void Reset(bool listening)
    {
        Interlocked.Increment(ref generation);
        this.listening = listening;
        entries.Clear();
    }

    private sealed record Entry(string Role, string Status, DateTimeOffset StoredAt);
}
