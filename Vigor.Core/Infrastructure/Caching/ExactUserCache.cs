using System.Collections.Concurrent;

namespace Vigor.Core.Infrastructure.Caching;

/// <summary>
/// Per-user values computed from PostgreSQL, kept in memory and still exact. A user's entries are dropped by
/// <see cref="Invalidate"/>, which the code that changes the user's data calls in process right after its commit (before
/// its API answers) and which <see cref="ChangeListener"/> calls for every change made anywhere else (another instance,
/// plain SQL), when PostgreSQL delivers the notification a trigger sent at commit on <see cref="Channel"/>. Nothing is kept
/// while the listener is not listening, and every (re)connect empties the cache, so a notification lost with a broken
/// connection cannot leave a stale entry. A read racing a change is not kept: <see cref="Begin"/> before the read and
/// <see cref="Store"/> after it compare the user's invalidation counter (striped, so a false alarm costs one re-read).
/// </summary>
/// <remarks>
/// An entry also carries the span of time it is right for (<c>from</c> ≤ at &lt; <c>until</c>), for values that depend on
/// the clock (a day's window, a future-dated row), and is read again after <see cref="MaxAge"/> regardless.
/// </remarks>
public class ExactUserCache<T>(TimeProvider time, string channel, bool enabled, TimeSpan maxAge, int maxUsers = 100_000) : IChangeSubscriber
{
    private const int StripeCount = 1024;
    private readonly ConcurrentDictionary<Guid, Entry[]> entries = new();
    private readonly long[] stripes = new long[StripeCount];
    private long epoch;
    private volatile bool listening;

    public string Channel => channel;

    /// <summary>The clock entries are judged by.</summary>
    protected TimeProvider Clock => time;

    public bool Enabled => enabled;

    /// <summary>Entries older than this are read again anyway: a bound on staleness should a notification ever go astray.</summary>
    public TimeSpan MaxAge => maxAge;

    /// <summary>Whether entries are kept: only while the listener holds its LISTEN.</summary>
    public bool Listening => listening;

    /// <summary>Users with entries.</summary>
    public int Count => entries.Count;

    /// <summary>Take it before reading a user's data; pass it to <see cref="Store"/>.</summary>
    public Ticket Begin(Guid userId) => new(Volatile.Read(ref epoch), Volatile.Read(ref stripes[Stripe(userId)]));

    /// <summary>The value of <paramref name="variant"/> (a parameter of the read, such as a window length) right at <paramref name="at"/>.</summary>
    public bool TryGet(Guid userId, int variant, DateTimeOffset at, out T value)
    {
        if (listening && entries.TryGetValue(userId, out var list))
        {
            foreach (var entry in list)
            {
                if (entry.Variant == variant && at >= entry.From && at < entry.Until && time.GetUtcNow() - entry.StoredAt < maxAge)
                {
                    value = entry.Value;
                    return true;
                }
            }
        }
        value = default!;
        return false;
    }

    /// <summary>Keeps a value read since <paramref name="ticket"/>, right from <paramref name="from"/> until <paramref name="until"/>, unless the user changed meanwhile.</summary>
    public void Store(Guid userId, int variant, T value, Ticket ticket, DateTimeOffset from, DateTimeOffset until)
    {
        if (!listening || !Current(userId, ticket) || until <= from)
            return;
        if (entries.Count >= maxUsers)
            entries.Clear();
        var entry = new Entry(variant, value, from, until, time.GetUtcNow());
        entries.AddOrUpdate(userId, _ => [entry], (_, list) => [.. list.Where(e => e.Variant != variant), entry]);
        // An invalidation between the check above and the write may have run before the write: undo it.
        if (!Current(userId, ticket))
            entries.TryRemove(userId, out _);
    }

    public void Invalidate(Guid userId)
    {
        Interlocked.Increment(ref stripes[Stripe(userId)]);
        entries.TryRemove(userId, out _);
    }

    /// <summary>Drops every entry (a change that concerns all users), whether listening or not.</summary>
    public void InvalidateAll()
    {
        Interlocked.Increment(ref epoch);
        entries.Clear();
    }

    /// <summary>Empties the cache; <paramref name="listening"/>: whether changes are being heard from now on.</summary>
    public void Reset(bool listening)
    {
        Interlocked.Increment(ref epoch);
        this.listening = listening;
        entries.Clear();
    }

    /// <summary>A trigger's payload is one user id, <see cref="ChangeNotifier"/>'s its origin, a colon and a comma-separated batch; anything else drops every entry.</summary>
    void IChangeSubscriber.Changed(string payload)
    {
        var ids = payload.AsSpan(payload.IndexOf(':') + 1);
        foreach (var range in ids.Split(','))
        {
            if (Guid.TryParse(ids[range], out var userId))
            {
                Invalidate(userId);
            }
            else
            {
                InvalidateAll();
                return;
            }
        }
    }

    private bool Current(Guid userId, Ticket ticket) =>
        Volatile.Read(ref epoch) == ticket.Epoch && Volatile.Read(ref stripes[Stripe(userId)]) == ticket.Stripe;

    private static int Stripe(Guid userId) => userId.GetHashCode() & (StripeCount - 1);

    public readonly record struct Ticket(long Epoch, long Stripe);

    private sealed record Entry(int Variant, T Value, DateTimeOffset From, DateTimeOffset Until, DateTimeOffset StoredAt);
}
