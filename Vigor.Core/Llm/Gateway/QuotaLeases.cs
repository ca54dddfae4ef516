using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Vigor.Core.Infrastructure.Data;
using Vigor.Core.Usage;

namespace Vigor.Core.Llm.Gateway;

public sealed class QuotaLeaseOptions
{
    public const string Section = "Llm:QuotaLeases";

    /// <summary>Whether remembered cache hits may be answered from a lease before their writes commit; false: every hit counts in its own round trip.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Most units one lease takes (the database gives at most a quarter of what is left in every window).</summary>
    public int MaxUnits { get; set; } = 16;

    /// <summary>How long a lease may answer hits (never past the end of the day, week or month it counted in).</summary>
    public TimeSpan Life { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A lease unused this long goes back: its unused units leave the counters.</summary>
    public TimeSpan Idle { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>A lease whose holder died is closed this long after its expiry (longer than any write after an answer).</summary>
    public TimeSpan ReclaimGrace { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Writes after answers this instance may have running before hits wait for their own writes again (back-pressure).</summary>
    public int MaxPendingWrites { get; set; } = 16;
}

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

    internal sealed class Lease(Guid id, Guid userId, string tier, long tierVersion, int granted, DateTimeOffset usableUntil, string partition)
    {
        private int taken;
        private long lastUsedTicks = DateTimeOffset.UtcNow.UtcTicks;

        public Guid Id => id;
        public Guid UserId => userId;
        public string Tier => tier;
        public long TierVersion => tierVersion;
        public int Granted => granted;
        public DateTimeOffset UsableUntil => usableUntil;
        public string Partition => partition;
        public int Taken => Math.Min(Volatile.Read(ref taken), granted);
        public int Left => granted - Taken;
        public DateTimeOffset LastUsed => new(Interlocked.Read(ref lastUsedTicks), TimeSpan.Zero);
        internal volatile bool Closing;

        public bool TryTake(DateTimeOffset now)
        {
            if (Closing || now >= usableUntil || Volatile.Read(ref taken) >= granted)
                return false;
            if (Interlocked.Increment(ref taken) > granted)
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
    public int Count => byUser.Values.Sum(u => { lock (u) return u.Leases.Count; });

    public bool Enabled => options.Value.Enabled;

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
                    user.Leases.Add(new Lease(id, userId, tier.Name, tierVersion, granted, until - TimeSpan.FromSeconds(1), partition));
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

    /// <summary>
    /// Gives back every lease of <paramref name="userId"/> (a quota refused one of the user's requests, the user's tier or
    /// profile changed): the writes of its hits commit first. Returns the units that left the counters.
    /// </summary>
    public async Task<int> ReturnAsync(Guid userId, CancellationToken ct = default)
    {
        if (!byUser.TryGetValue(userId, out var user))
            return 0;
        Task? taking;
        lock (user)
            taking = user.Taking;
        if (taking is not null)
            await taking.WaitAsync(ct);
        List<Lease> leases;
        lock (user)
        {
            leases = [.. user.Leases];
            leases.ForEach(l => l.Closing = true);
        }
        var returned = 0;
        foreach (var lease in leases)
            returned += await CloseAsync(user, lease, ct);
        return returned;
    }

    /// <summary>Gives back every lease this instance holds (tests; the host's stop).</summary>
    public async Task ReturnAllAsync(CancellationToken ct = default)
    {
        foreach (var userId in byUser.Keys.ToList())
            await ReturnAsync(userId, ct);
    }

    private async Task<int> CloseAsync(UserLeases user, Lease lease, CancellationToken ct)
    {
        lease.Closing = true;
        // A unit taken is marked used by its hit's writes: those commit (or fail for good) before the rest goes back.
        await settles.WhenSettledAsync(lease.UserId, ct);
        await closing.WaitAsync(ct);
        try
        {
            await using var cmd = dataSource.CreateCommand("SELECT llm_quota_lease_close($1)");
            cmd.Parameters.Add(new NpgsqlParameter { Value = lease.Id });
            var returned = Convert.ToInt32(await cmd.ExecuteScalarAsync(ct));
            if (returned > 0)
                Interlocked.Increment(ref returnEpoch);
            lock (user)
                user.Leases.Remove(lease);
            return returned;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Left open: llm_quota_leases_reclaim closes it after its expiry.
            CloseFailed(logger, e, lease.Id);
            lock (user)
                user.Leases.Remove(lease);
            return 0;
        }
        finally
        {
            closing.Release();
        }
    }

    /// <summary>Closes leases that expired before now minus the grace (their holders died): the recovery timer's part.</summary>
    public async Task<int> ReclaimAsync(CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT llm_quota_leases_reclaim($1)");
        cmd.Parameters.Add(new NpgsqlParameter { Value = (time.GetUtcNow() - options.Value.ReclaimGrace).UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(ct));
    }

    /// <summary>Gives back leases that are used up, idle or about to expire.</summary>
    internal async Task SweepAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        foreach (var (userId, user) in byUser)
        {
            List<Lease> due;
            lock (user)
            {
                due = user.Leases.Where(l => !l.Closing && (l.Left == 0 || now >= l.UsableUntil || now - l.LastUsed >= options.Value.Idle)).ToList();
                due.ForEach(l => l.Closing = true);
                if (user.Leases.Count == 0 && user.Taking is null && now >= user.RefusedUntil)
                    byUser.TryRemove(new KeyValuePair<Guid, UserLeases>(userId, user));
            }
            foreach (var lease in due)
                await CloseAsync(user, lease, ct);
        }
    }

    Task IHostedService.StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Enabled)
            sweeper = Task.Run(async () =>
            {
                using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
                while (await timer.WaitForNextTickAsync(stopping.Token).ConfigureAwait(false))
                {
                    try
                    {
                        await SweepAsync(stopping.Token);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        SweepFailed(logger, e);
                    }
                }
            });
        return Task.CompletedTask;
    }

    /// <summary>The host stops: every lease goes back once the writes of its hits have committed.</summary>
    async Task IHostedService.StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        try
        {
            if (sweeper is not null)
                await sweeper.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
        try
        {
            await ReturnAllAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Past the shutdown timeout: llm_quota_leases_reclaim closes what is left.
        }
    }

    public void Dispose()
    {
        stopping.Dispose();
        closing.Dispose();
    }

    [LoggerMessage(1, LogLevel.Warning, "Could not take a quota lease for user {UserId}; their hits are counted one by one")]
    private static partial void TakeFailed(ILogger logger, Exception e, Guid userId);

    [LoggerMessage(2, LogLevel.Warning, "Could not give back the quota lease {LeaseId}; recovery closes it after its expiry")]
    private static partial void CloseFailed(ILogger logger, Exception e, Guid leaseId);

    [LoggerMessage(3, LogLevel.Warning, "Giving back idle quota leases failed")]
    private static partial void SweepFailed(ILogger logger, Exception e);
}
