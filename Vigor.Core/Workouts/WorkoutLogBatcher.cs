using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Vigor.Core.Workouts;

/// <summary>
/// Stores concurrent logs of different users together: the logs that arrive while a batch is on its way go out with the
/// next one, in one round trip and one transaction (<see cref="WorkoutLogRepository.InsertBatchAsync"/>), and a log that
/// finds no batch in flight goes out at once, on its own, as before. Under load most of a log's PostgreSQL CPU was per
/// statement (executor start, round trip, commit), not per row.
/// <para>
/// A batch holds at most one log per user, and a user with a log in flight waits for it: each user's logs are stored
/// one after the other in arrival order, as the single inserts were (each sees the steps of the one before). A batch
/// that fails is retried log by log, so one bad log (a plan deleted meanwhile, a user deleted) fails only its own
/// request. The batch runs without the requests' tokens, so one caller leaving cancels nobody else's log; a caller that
/// left before its batch was formed is dropped from it.
/// </para>
/// </summary>
internal sealed class WorkoutLogBatcher(WorkoutLogRepository logs, IOptions<WorkoutLogBatchOptions> options, ILogger<WorkoutLogBatcher> logger)
{
    private sealed record Entry(NewWorkoutLog Log, CancellationToken Cancellation)
    {
        public TaskCompletionSource<WorkoutLogView> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly WorkoutLogBatchOptions settings = options.Value;
    private readonly Lock gate = new();
    private readonly List<Entry> queue = [];
    private readonly HashSet<Guid> writing = [];
    private int inFlight;

    public Task<WorkoutLogView> InsertAsync(NewWorkoutLog log, CancellationToken ct)
    {
        if (!settings.Enabled)
            return logs.InsertAsync(log, ct);
        ct.ThrowIfCancellationRequested();
        var entry = new Entry(log, ct);
        lock (gate)
        {
            queue.Add(entry);
            StartBatches(runner: false);
        }
        return entry.Done.Task.WaitAsync(ct);
    }

    // Under gate. A runner that just finished a batch goes on with the next itself (returned): handing it to the thread
    // pool would queue it behind the requests' work while PostgreSQL has nothing to do.
    private List<Entry>? StartBatches(bool runner)
    {
        List<Entry>? mine = null;
        while (inFlight < settings.MaxInFlight && Take() is { Count: > 0 } batch)
        {
            inFlight++;
            if (runner && mine is null)
            {
                mine = batch;
                continue;
            }
            // Not in the caller's execution context: the batch is no single request's work (traces, log scopes).
            using (ExecutionContext.SuppressFlow())
                _ = Task.Run(() => RunAsync(batch), CancellationToken.None);
        }
        return mine;
    }

    // The oldest waiting logs, one per user and none of a user who has a log in flight.
    private List<Entry> Take()
    {
        var batch = new List<Entry>();
        for (var i = 0; i < queue.Count && batch.Count < settings.MaxLogs;)
        {
            var entry = queue[i];
            if (entry.Cancellation.IsCancellationRequested)
            {
                queue.RemoveAt(i);
                entry.Done.TrySetCanceled(entry.Cancellation);
            }
            else if (writing.Add(entry.Log.UserId))
            {
                queue.RemoveAt(i);
                batch.Add(entry);
            }
            else
            {
                i++;
            }
        }
        return batch;
    }

    private async Task RunAsync(List<Entry> first)
    {
        for (var batch = first; batch is not null;)
        {
            if (batch.Count == 1)
                await StoreAsync(batch[0]);
            else
                await StoreAllAsync(batch);
            lock (gate)
            {
                inFlight--;
                foreach (var entry in batch)
                    writing.Remove(entry.Log.UserId);
                batch = StartBatches(runner: true);
            }
        }
    }

    private async Task StoreAllAsync(List<Entry> batch)
    {
        IReadOnlyList<WorkoutLogView> views;
        try
        {
            views = await logs.InsertBatchAsync(batch.ConvertAll(e => e.Log), CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Nothing of the batch was stored; each log on its own fails only if it fails by itself.
            WorkoutsLog.BatchFailed(logger, ex, batch.Count);
            await Task.WhenAll(batch.Select(StoreAsync));
            return;
        }
        for (var i = 0; i < batch.Count; i++)
            batch[i].Done.TrySetResult(views[i]);
    }

    private async Task StoreAsync(Entry entry)
    {
        try
        {
            entry.Done.TrySetResult(await logs.InsertAsync(entry.Log, CancellationToken.None));
        }
        catch (Exception ex)
        {
            entry.Done.TrySetException(ex);
        }
    }
}
