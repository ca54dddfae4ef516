using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Vigor.Core.Llm.Gateway;

/// <summary>Leases going back: given back by a refusal or a change, closed when used up, idle or expiring, reclaimed from dead instances, at the host's stop.</summary>
internal sealed partial class QuotaLeases
{
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

    [LoggerMessage(2, LogLevel.Warning, "Could not give back the quota lease {LeaseId}; recovery closes it after its expiry")]
    private static partial void CloseFailed(ILogger logger, Exception e, Guid leaseId);

    [LoggerMessage(3, LogLevel.Warning, "Giving back idle quota leases failed")]
    private static partial void SweepFailed(ILogger logger, Exception e);
}
