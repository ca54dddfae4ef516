using Npgsql;
using NpgsqlTypes;
using Vigor.Core.Infrastructure.Caching;
using Vigor.Core.Infrastructure.Data;
using Vigor.Core.Profiles;
using Vigor.Core.Usage;

namespace Vigor.Core.Llm.Gateway;

/// <summary>Versions (PostgreSQL's <c>xmin</c>) of the rows an AI request is built from: the user's, the profile's (none: null) and the user's tier's.</summary>
public readonly record struct RowVersions(long User, long? Profile, long Tier);

/// <summary>
/// Per user, what this instance last built an AI request from: the user and the profile as read, the user's tier, and the
/// versions of those three rows. A feature whose request would then be a remembered cache hit (<see cref="LlmCache.Recall"/>)
/// builds it from here and skips its first read. Two ways: with a quota lease (<see cref="QuotaLeases"/>) the hit answers at
/// once and commits after, so this cache must be exact (<see cref="ExactUserCache{T}"/>: the code that changes a user's tier
/// or profile, or the tier catalogue, invalidates in process after its commit; migration 0030's triggers notify
/// <see cref="Channel"/> of every other change; nothing is kept while not listening). Without a lease, the hit's batch
/// carries <see cref="GuardStatement"/> first, which stops the batch (nothing counted, nothing written) unless the three
/// rows are still the versions read; a stopped batch forgets the user's entry and the request goes the usual way.
/// </summary>
internal sealed class LlmHitContexts(TimeProvider time)
    : ExactUserCache<LlmHitContexts.Context>(time, ContextChannel, enabled: true, TimeSpan.FromMinutes(10), MaxUsers)
{
    internal const int MaxUsers = 10_000;

    public const string ContextChannel = "vigor_llm_context";

    /// <summary>SQLSTATE of <see cref="GuardStatement"/>: the user, the profile or the tier changed since they were read.</summary>
    internal const string ContextChanged = "VG003";

    internal sealed record Context(MeResponse Me, Tier Tier, RowVersions Versions)
    {
        private int served;

        /// <summary>Requests answered from this entry (a hit the database let through, or one answered from a lease).</summary>
        public int Served => Volatile.Read(ref served);

        public void Serve() => Interlocked.Increment(ref served);

        private Derived? derived;

        /// <summary>
        /// What a feature builds from this entry and <paramref name="key"/> alone (the request built from the profile), made
        /// once for the last key: the entry never changes, and a change to the user replaces the entry.
        /// </summary>
        public T Derive<T>(object key, Func<T> make) where T : class
        {
            if (Volatile.Read(ref derived) is { } known && known.Key.Equals(key))
                return (T)known.Value;
            var value = make();
            Volatile.Write(ref derived, new Derived(key, value));
            return value;
        }

        private sealed record Derived(object Key, object Value);
    }

    public Context? Get(Guid userId) => TryGet(userId, 0, Clock.GetUtcNow(), out var context) ? context : null;

    /// <param name="ticket"><see cref="ExactUserCache{T}.Begin"/>, taken before the read.</param>
    public void Store(Guid userId, MeResponse me, Tier tier, RowVersions versions, Ticket ticket)
        => Store(userId, 0, new Context(me, tier, versions), ticket, DateTimeOffset.MinValue, DateTimeOffset.MaxValue);

    public void Forget(Guid userId) => Invalidate(userId);

    /// <summary>Raises <see cref="ContextChanged"/> unless the user's row, the profile and the tier are still the versions of <paramref name="context"/> (migration 0028).</summary>
    public static PgStatement GuardStatement(Guid userId, Context context) => new(
        "SELECT llm_hit_context_guard($1, $2, $3, $4, $5)",
        userId, context.Versions.User,
        new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = (object?)context.Versions.Profile ?? DBNull.Value },
        context.Tier.Name, context.Versions.Tier);
}
