using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Vigor.Core.Infrastructure.Data;
using Vigor.Core.Usage;

namespace Vigor.Core.Llm.Gateway;

/// <summary>
/// Quota leases (migration 0030). A remembered cache hit costs nothing but its count in the user's request quota, and that
/// count is what made it wait for a round trip before its answer. After a user's hit this instance takes a block of that
/// user's quota in one statement: the units are counted in the tier's day, week and month counters at once, under their
/// limits and never more than a quarter of what is left (nothing when that is under 2, so a user near a limit is counted
/// request by request as before). The user's next remembered hits each take a unit here, answer, and commit their writes
/// (ledger row, plan, job, and the unit marked used) just after the answer. A lease goes back when idle or near its expiry,
/// once the writes of its hits have committed; its unused units then leave the counters. A refusal by the quota in this
/// instance first gives back this instance's leases of the user and tries again, so one instance never refuses a request
/// while it holds units of the same user.
/// </summary>
internal sealed partial class QuotaLeases(
    NpgsqlDataSource dataSource, PendingSettles settles, TimeProvider time, IOptions<QuotaLeaseOptions> options, ILogger<QuotaLeases> logger)
    : IHostedService, IDisposable
{
    private readonly ConcurrentDictionary<Guid, UserLeases> byUser = new();
    private readonly CancellationTokenSource stopping = new();
    // Closes run one at a time, and each that gave units back moves the epoch once its commit is done: a request the quota
    // refused compares the epoch with the one before its reservation to know whether units came back since it read.
    private readonly SemaphoreSlim closing = new(1, 1);
    private long returnEpoch;

    /// <summary>Moves each time a lease gave units back (after that commit): see <see cref="BudgetGate"/>'s refusal.</summary>
    public long ReturnEpoch => Interlocked.Read(ref returnEpoch);
    private Task? sweeper;

    internal sealed class Lease(Guid id, Guid userId, string tier, long tierVersion, int granted, DateTimeOffset usableUntil, DateTimeOffset taken)
    {
        private int units;
        private long lastUsedTicks = taken.UtcTicks;

        public Guid Id => id;
        public Guid UserId => userId;
        public string Tier => tier;
        public long TierVersion => tierVersion;
        public int Granted => granted;
        public DateTimeOffset UsableUntil => usableUntil;
        public int Left => granted - Math.Min(Volatile.Read(ref units), granted);
        public DateTimeOffset LastUsed => new(Interlocked.Read(ref lastUsedTicks), TimeSpan.Zero);
        internal volatile bool Closing;

        public bool TryTake(DateTimeOffset now)
        {
            if (Closing || now >= usableUntil || Volatile.Read(ref units) >= granted)
                return false;
            if (Interlocked.Increment(ref units) > granted)
                return false;
            Interlocked.Exchange(ref lastUsedTicks, now.UtcTicks);
            return true;
        }
    }

    private sealed class UserLeases
    {
        public readonly List<Lease> Leases = [];
        public Task? Taking;
        public DateTimeOffset RefusedUntil;
        public Tier? Limits;
        public long LimitsVersion;
    }

    /// <summary>Marks a unit of <paramref name="lease"/> used by <paramref name="jobId"/>'s hit, in the hit's batch before the job's row (migration 0030).</summary>
    public static PgStatement UseStatement(Lease lease, string jobId) => new("SELECT llm_quota_lease_use($1, $2)", lease.Id, jobId);

    /// <summary>Leases this instance holds, across users.</summary>
    /// <summary>Users with leases held or being taken.</summary>
    public IReadOnlyCollection<Guid> UserIds => [.. byUser.Keys];

    /// <summary>One unit of a lease of <paramref name="userId"/> taken under this very tier version, or null (none, used up, expiring, or too many writes pending).</summary>
    public Lease? TryTake(Guid userId, string tier, long tierVersion)
    {
        if (!options.Value.Enabled || settles.Count >= options.Value.MaxPendingWrites || !byUser.TryGetValue(userId, out var user))
            return null;
        var now = time.GetUtcNow();
        Lease? took = null;
        var left = 0;
        lock (user)
        {
            foreach (var lease in user.Leases)
            {
                if (took is null && lease.Tier == tier && lease.TierVersion == tierVersion && lease.TryTake(now))
                    took = lease;
                else if (!lease.Closing && lease.TierVersion == tierVersion)
                    left += lease.Left;
            }
        }
        // The next lease is taken while this one still answers: when a quarter of it is left, or a quarter of its life.
        if (took is not null && (left + took.Left <= took.Granted / 4 || took.UsableUntil - now < options.Value.Life / 4))
            Offer(userId, tier, tierVersion, null);
        return took;
    }

    /// <summary>
    /// Takes a lease for <paramref name="userId"/> in the background when none is held or being taken (after one of the
    /// user's hits). <paramref name="limits"/>: the tier's request limits, read from it when null.
    /// </summary>
    public void Offer(Guid userId, string tier, long tierVersion, Tier? limits)
    {
        if (!options.Value.Enabled || stopping.IsCancellationRequested)
            return;
        var user = byUser.GetOrAdd(userId, _ => new UserLeases());
        var now = time.GetUtcNow();
        lock (user)
        {
            // The sweep may have dropped this user's entry meanwhile: a lease added to it would be held by no one here.
            if (user.Taking is not null || now < user.RefusedUntil || !byUser.TryGetValue(userId, out var current) || current != user)
                return;
            if (limits is null && user.LimitsVersion == tierVersion)
                limits = user.Limits;
            if (limits is null || limits.Name != tier)
                return;
            (user.Limits, user.LimitsVersion) = (limits, tierVersion);
            // Another lease once what is left is down to a quarter of one: the next is in place before this one runs out.
            var usable = user.Leases.Where(l => !l.Closing && l.TierVersion == tierVersion && l.UsableUntil - now >= options.Value.Life / 4).ToList();
            if (usable.Count > 0 && usable.Sum(l => l.Left) > usable.Max(l => l.Granted) / 4)
                return;
            user.Taking = TakeAsync(userId, user, limits, tierVersion);
        }
    }

    /// <summary>Completes when no lease of <paramref name="userId"/> is being taken (tests, and nothing else, wait for it).</summary>
    public Task WhenTakenAsync(Guid userId)
    {
        if (!byUser.TryGetValue(userId, out var user))
            return Task.CompletedTask;
        lock (user)
            return user.Taking ?? Task.CompletedTask;
    }

    private async Task TakeAsync(Guid userId, UserLeases user, Tier tier, long tierVersion)
    {
        await Task.Yield();
        var now = time.GetUtcNow();
        var id = Guid.NewGuid();
        var until = new[] { now + options.Value.Life, UsageWindows.DayResets(now), UsageWindows.WeekResets(now), UsageWindows.MonthResets(now) }.Min();
        var partition = UsageKeys.User(userId);
        string[] rows = [UsageKeys.RequestsDay(now), UsageKeys.RequestsWeek(now), UsageKeys.RequestsMonth(now)];
        long[] limits = [tier.RequestsPerDay, tier.RequestsPerWeek, tier.RequestsPerMonth];
        try
        {
            await using var cmd = dataSource.CreateCommand(
                "SELECT llm_quota_lease_take($1, $2, $3, $4, $5, $6, $7)");
            cmd.Parameters.Add(new NpgsqlParameter { Value = id });
            cmd.Parameters.Add(new NpgsqlParameter { Value = userId });
            cmd.Parameters.Add(new NpgsqlParameter { Value = partition });
            cmd.Parameters.Add(new NpgsqlParameter { Value = rows, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            cmd.Parameters.Add(new NpgsqlParameter { Value = limits, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            cmd.Parameters.Add(new NpgsqlParameter { Value = options.Value.MaxUnits });
            // The database's clock bounds reclaiming; the lease answers hits only until this instance's `until`, well before.
            cmd.Parameters.Add(new NpgsqlParameter { Value = until.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            var granted = Convert.ToInt32(await cmd.ExecuteScalarAsync(stopping.Token));
            lock (user)
            {
                if (granted > 0)
                    user.Leases.Add(new Lease(id, userId, tier.Name, tierVersion, granted, until - TimeSpan.FromSeconds(1), now));
                else
                    user.RefusedUntil = time.GetUtcNow() + options.Value.Idle;
            }
        }
        catch (Exception e)
        {
            TakeFailed(logger, e, userId);
            lock (user)
                user.RefusedUntil = time.GetUtcNow() + options.Value.Idle;
        }
        finally
        {
            lock (user)
                user.Taking = null;
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Could not take a quota lease for user {UserId}; their hits are counted one by one")]
    private static partial void TakeFailed(ILogger logger, Exception e, Guid userId);
}
