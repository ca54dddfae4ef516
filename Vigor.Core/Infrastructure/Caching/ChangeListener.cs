using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Vigor.Core.Infrastructure.Data;

namespace Vigor.Core.Infrastructure.Caching;

/// <summary>A cache kept exact by PostgreSQL notifications on <see cref="Channel"/> (payload: a user id).</summary>
public interface IChangeSubscriber
{
    string Channel { get; }

    bool Enabled { get; }

    /// <summary>A notification arrived.</summary>
    void Changed(string payload);

    /// <summary>Empties the cache; <paramref name="listening"/>: whether notifications are heard from now on.</summary>
    void Reset(bool listening);
}

/// <summary>
/// Holds one connection per instance with a <c>LISTEN</c> on every enabled subscriber's channel and hands each
/// notification to its subscriber. Subscribers cache only while the LISTEN is held: when the connection breaks they are
/// emptied and switched off until a new LISTEN is in place. An idle connection is checked every <see cref="Heartbeat"/>,
/// so a connection that died silently is noticed.
/// </summary>
internal sealed class ChangeListener(
    [FromKeyedServices(DataRegistration.SessionDataSource)] NpgsqlDataSource dataSource, IEnumerable<IChangeSubscriber> subscribers,
    ChangeNotifier notifier, ILogger<ChangeListener> logger)
    : BackgroundService
{
    public const string ApplicationName = "vigor-change-listener";
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var active = subscribers.Where(s => s.Enabled).ToList();
        if (active.Count == 0)
            return;
        var byChannel = active.GroupBy(s => s.Channel, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var listen = string.Join("; ", byChannel.Keys.Select(c => $"LISTEN {c}"));
        var delay = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var conn = await dataSource.OpenConnectionAsync(stoppingToken);
                conn.Notification += (_, e) =>
                {
                    if (byChannel.TryGetValue(e.Channel, out var list) && !notifier.IsOwn(e.Payload))
                        list.ForEach(s => s.Changed(e.Payload));
                };
                await conn.ExecuteAsync(new CommandDefinition($"SET application_name = '{ApplicationName}'; {listen}", cancellationToken: stoppingToken));
                active.ForEach(s => s.Reset(listening: true));
                delay = TimeSpan.FromMilliseconds(200);
                while (true)
                {
                    if (!await conn.WaitAsync(Heartbeat, stoppingToken))
                        await conn.ExecuteAsync(new CommandDefinition("SELECT 1", cancellationToken: stoppingToken));
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                active.ForEach(s => s.Reset(listening: false));
                logger.LogWarning(ex, "Change listener lost its connection; cached reads go to PostgreSQL until it is back (retry in {Delay})", delay);
                try
                {
                    await Task.Delay(delay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
        active.ForEach(s => s.Reset(listening: false));
    }
}
