using Microsoft.Extensions.Hosting;

namespace Vigor.Core.Llm.Gateway;

/// <summary>
/// The settle steps this instance runs after it answered (<see cref="ILlmFeature.SettlesAfterAnswer"/>), per user. The
/// reservation made before the call already counted the request and held its worst-case cost, so a settle that commits a
/// few milliseconds after the answer can only leave a budget held longer, never overspent. Reads that show what a settle
/// writes (the conversation's messages, the job, the user's usage) wait here first, so a user reads their own answers in
/// this instance as soon as they have them; at shutdown the host waits for every settle still running.
/// </summary>
public sealed class PendingSettles : IHostedService
{
    // One lock: settles start and finish at the rate of AI requests, and a read with nothing running does not take it.
    private readonly Dictionary<Guid, List<Task>> byUser = [];
    private int count;

    /// <summary>Settles started and not yet finished, across users.</summary>
    public int Count => Volatile.Read(ref count);

    /// <summary>Tracks <paramref name="settle"/> (which handles its own failures) until it finishes.</summary>
    public void Track(Guid userId, Task settle)
    {
        lock (byUser)
        {
            if (!byUser.TryGetValue(userId, out var list))
                byUser[userId] = list = [];
            list.Add(settle);
            count++;
        }
        settle.ContinueWith(done => Finished(userId, done), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Completes when every settle of <paramref name="userId"/> started before the call has finished (at once when none is running).</summary>
    public Task WhenSettledAsync(Guid userId, CancellationToken ct = default)
    {
        if (Count == 0)
            return Task.CompletedTask;
        Task[] running;
        lock (byUser)
            running = byUser.TryGetValue(userId, out var list) ? [.. list] : [];
        return running.Length == 0 ? Task.CompletedTask : Task.WhenAll(running).WaitAsync(ct);
    }

    /// <summary>Completes when every settle started before the call has finished.</summary>
    public Task WhenAllSettledAsync(CancellationToken ct = default)
    {
        Task[] running;
        lock (byUser)
            running = [.. byUser.Values.SelectMany(l => l)];
        return running.Length == 0 ? Task.CompletedTask : Task.WhenAll(running).WaitAsync(ct);
    }

    private void Finished(Guid userId, Task done)
    {
        lock (byUser)
        {
            var list = byUser[userId];
            list.Remove(done);
            if (list.Count == 0)
                byUser.Remove(userId);
            count--;
        }
    }

    Task IHostedService.StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The host stops: the settles still running finish first (bounded by the host's shutdown timeout).</summary>
    async Task IHostedService.StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await WhenAllSettledAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The shutdown timeout passed: what did not settle is recovered as any interrupted job is (LlmJobRecovery).
        }
    }
}
