using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Vigor.Core.Infrastructure.Data;

namespace Vigor.Core.Auth;

/// <summary>
/// Holds a <c>LISTEN</c> on <see cref="Channel"/> and drops the <see cref="AuthStateCache"/> entry of every user whose
/// status or role changes or who is deleted. The cache is live only while the LISTEN is held; when the connection
/// breaks it is emptied and switched off until a new LISTEN is in place. An idle connection is checked every
/// <see cref="Heartbeat"/>, so a connection that died silently is noticed.
/// </summary>
internal sealed class AuthStateListener(
    [FromKeyedServices(DataRegistration.SessionDataSource)] NpgsqlDataSource dataSource, AuthStateCache cache,
    Microsoft.Extensions.Options.IOptions<AuthOptions> options, ILogger<AuthStateListener> logger)
    : BackgroundService
{
    public const string Channel = "vigor_user_auth";
    public const string ApplicationName = "vigor-auth-listener";
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.StateCache)
            return;
        var delay = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var conn = await dataSource.OpenConnectionAsync(stoppingToken);
                conn.Notification += (_, e) =>
                {
                    if (Guid.TryParse(e.Payload, out var userId))
                        cache.Invalidate(userId);
                    else
                        cache.Reset(listening: true);
                };
                await conn.ExecuteAsync(new CommandDefinition($"SET application_name = '{ApplicationName}'; LISTEN {Channel}", cancellationToken: stoppingToken));
                cache.Reset(listening: true);
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
                cache.Reset(listening: false);
                logger.LogWarning(ex, "Auth state listener lost its connection; users' state is read on every request until it is back (retry in {Delay})", delay);
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
        cache.Reset(listening: false);
    }
}
