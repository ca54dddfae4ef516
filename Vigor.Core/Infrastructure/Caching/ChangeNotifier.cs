using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Vigor.Core.Infrastructure.Data;

namespace Vigor.Core.Infrastructure.Caching;

/// <summary>
/// Sends the notifications of changes the API itself committed, batched: every user id that arrives while a batch is on
/// its way goes out with the next one, as one <c>pg_notify</c> per channel and up to <see cref="IdsPerPayload"/> ids
/// (comma-separated after this instance's <see cref="Origin"/> and a colon, read by <see cref="ExactUserCache{T}"/>), in one
/// transaction. <see cref="ChangeListener"/> skips the notifications of its own instance, which invalidated in process
/// before sending them (heard back later they would drop entries computed since). A trigger's <c>pg_notify</c> in every
/// writing transaction costs more: PostgreSQL serialises notifying commits (one lock held through the commit), so the
/// hot writers (insert_workout_log, migration 0016) send theirs through here and the triggers stay for every other write.
/// The session data source: a multiplexed command could queue behind a log waiting for its user's lock, and hold up
/// every request of the batch.
/// </summary>
internal sealed class ChangeNotifier(
    [FromKeyedServices(DataRegistration.SessionDataSource)] NpgsqlDataSource dataSource, ILogger<ChangeNotifier> logger)
{
    // A payload is at most 8000 bytes; a user id and its comma take 37.
    public const int IdsPerPayload = 200;

    /// <summary>This instance, as named in its payloads.</summary>
    public string Origin { get; } = Guid.NewGuid().ToString("N");

    private readonly Lock gate = new();
    private Dictionary<string, HashSet<Guid>> pending = new(StringComparer.Ordinal);
    private TaskCompletionSource? next;
    private bool sending;

    /// <summary>Completes once the notification of <paramref name="userId"/> on <paramref name="channel"/> has been sent (or its send failed and was logged).</summary>
    public Task NotifyAsync(string channel, Guid userId, CancellationToken ct)
    {
        Task sent;
        lock (gate)
        {
            if (!pending.TryGetValue(channel, out var ids))
                pending[channel] = ids = [];
            ids.Add(userId);
            next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            sent = next.Task;
            if (!sending)
            {
                sending = true;
                _ = Task.Run(SendAllAsync, CancellationToken.None);
            }
        }
        return sent.WaitAsync(ct);
    }

    public bool IsOwn(string payload) =>
        payload.Length > Origin.Length && payload[Origin.Length] == ':' && payload.StartsWith(Origin, StringComparison.Ordinal);

    private async Task SendAllAsync()
    {
        while (true)
        {
            Dictionary<string, HashSet<Guid>> batch;
            TaskCompletionSource done;
            lock (gate)
            {
                if (next is null)
                {
                    sending = false;
                    return;
                }
                (batch, pending) = (pending, new(StringComparer.Ordinal));
                (done, next) = (next, null);
            }
            try
            {
                await SendAsync(batch);
            }
            catch (Exception ex)
            {
                // The changes are committed; the other instances' entries for these users stay until their max age.
                CachingLog.NotifyFailed(logger, ex, batch.Sum(c => c.Value.Count));
            }
            done.TrySetResult();
        }
    }

    private async Task SendAsync(Dictionary<string, HashSet<Guid>> batch)
    {
        var channels = new List<string>();
        var payloads = new List<string>();
        foreach (var (channel, ids) in batch)
        {
            foreach (var chunk in ids.Chunk(IdsPerPayload))
            {
                channels.Add(channel);
                payloads.Add($"{Origin}:{string.Join(',', chunk)}");
            }
        }
        await using var conn = await dataSource.OpenConnectionAsync();
        await conn.ExecuteAsync(new CommandDefinition(
            "SELECT pg_notify(c, p) FROM unnest(@channels, @payloads) AS t (c, p)",
            new { channels = channels.ToArray(), payloads = payloads.ToArray() }));
    }
}
