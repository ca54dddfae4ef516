using Dapper;
using Npgsql;

namespace Vigor.Core.Auth;

/// <summary>
/// Fixed-window counters in PostgreSQL, so every instance of the app sees the same counts.
/// One atomic upsert per hit; the window restarts when it has passed.
/// </summary>
internal sealed class LoginThrottle(NpgsqlDataSource dataSource)
{
    public readonly record struct Window(int Attempts, TimeSpan RetryAfter);

    public async Task<Window> HitAsync(string key, TimeSpan window, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleAsync<(int Attempts, double Remaining)>(new CommandDefinition("""
            INSERT INTO login_throttle AS t (key, window_start, attempts) VALUES (@key, now(), 1)
            ON CONFLICT (key) DO UPDATE SET
                window_start = CASE WHEN t.window_start <= now() - make_interval(secs => @seconds) THEN now() ELSE t.window_start END,
                attempts     = CASE WHEN t.window_start <= now() - make_interval(secs => @seconds) THEN 1 ELSE t.attempts + 1 END
            RETURNING attempts, EXTRACT(EPOCH FROM (window_start + make_interval(secs => @seconds) - now()))::float8
            """, new { key, seconds = window.TotalSeconds }, cancellationToken: ct));
        return new Window(row.Attempts, TimeSpan.FromSeconds(Math.Max(1, row.Remaining)));
    }

    public async Task<Window> PeekAsync(string key, TimeSpan window, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<(int Attempts, double Remaining)?>(new CommandDefinition("""
            SELECT attempts, EXTRACT(EPOCH FROM (window_start + make_interval(secs => @seconds) - now()))::float8
            FROM login_throttle WHERE key = @key AND window_start > now() - make_interval(secs => @seconds)
            """, new { key, seconds = window.TotalSeconds }, cancellationToken: ct));
        return row is { } r ? new Window(r.Attempts, TimeSpan.FromSeconds(Math.Max(1, r.Remaining))) : new Window(0, TimeSpan.Zero);
    }

    public async Task ResetAsync(string key, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("DELETE FROM login_throttle WHERE key = @key", new { key }, cancellationToken: ct));
    }

    public async Task<int> PurgeAsync(TimeSpan olderThan, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(
            "DELETE FROM login_throttle WHERE window_start < now() - make_interval(secs => @seconds)", new { seconds = olderThan.TotalSeconds }, cancellationToken: ct));
    }
}
