using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Vigor.Core.Infrastructure;
using Vigor.Core.Infrastructure.Http;

namespace Vigor.Core.Jobs;

/// <summary>
/// Async request-reply over Durable: a job is an orchestration whose instance id is the job id, owned by one user.
/// Start waits a bounded time; the client then polls its own job resource, never Durable's management URLs.
/// </summary>
internal sealed class JobService(JobRepository jobs, IOptions<JobOptions> options)
{
    private readonly SemaphoreSlim? admission = options.Value.MaxInFlight is > 0 and var max ? new SemaphoreSlim(max, max) : null;

    public Task<JobStart> StartAsync<TInput>(
        DurableTaskClient durable, Guid userId, string kind, string orchestrator, TInput input, CancellationToken ct)
        => StartAsync(durable, userId, kind, orchestrator, _ => input, ct);

    /// <summary>Starts a job whose input needs its own id (the LLM gateway keys every side effect by it).</summary>
    public async Task<JobStart> StartAsync<TInput>(
        DurableTaskClient durable, Guid userId, string kind, string orchestrator, Func<string, TInput> input, CancellationToken ct)
    {
        // Time-ordered, so what a job creates can take the job's id and still sort by creation.
        var id = kind + "-" + Guid.CreateVersion7().ToString("N");
        var row = await jobs.CreateAsync(id, userId, kind, ct);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(options.Value.Wait);
        var admitted = await AdmitAsync(wait.Token);
        try
        {
            await durable.ScheduleNewOrchestrationInstanceAsync(orchestrator, input(id), new StartOrchestrationOptions(id), ct);
            var done = await durable.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, wait.Token);
            return new JobStart(ToView(row, done), Finished: true);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            var state = await durable.GetInstanceAsync(id, getInputsAndOutputs: true, ct);
            return new JobStart(ToView(row, state), Finished: state?.IsCompleted == true);
        }
        finally
        {
            if (admitted)
                admission!.Release();
        }
    }

    /// <summary>Waits for a free slot when <see cref="JobOptions.MaxInFlight"/> is set; false when there is no limit or no slot came in time.</summary>
    private async Task<bool> AdmitAsync(CancellationToken wait)
    {
        if (admission is null)
            return false;
        try
        {
            await admission.WaitAsync(wait);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async Task<Outcome<JobView>> GetAsync(DurableTaskClient durable, Guid userId, string id, CancellationToken ct)
    {
        if (id.Length > 100)
            return Problems.NotFound("job");
        var row = await jobs.GetOwnAsync(id, userId, ct);
        if (row is null)
            return Problems.NotFound("job");
        return ToView(row, await durable.GetInstanceAsync(id, getInputsAndOutputs: true, ct));
    }

    private static JobView ToView(JobRepository.Row row, OrchestrationMetadata? state)
    {
        var status = state?.RuntimeStatus switch
        {
            OrchestrationRuntimeStatus.Completed => JobStatus.Completed,
            OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated => JobStatus.Failed,
            OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended => JobStatus.Running,
            _ => JobStatus.Pending,
        };
        JsonElement? result = status == JobStatus.Completed && state?.SerializedOutput is { } output
            ? JsonSerializer.Deserialize<JsonElement>(output)
            : null;
        // Failure details stay in the logs: they can carry provider or stack details.
        var error = status == JobStatus.Failed ? "The job failed; try again." : null;
        return new JobView(row.Id, row.Kind, status, result, error, row.CreatedAt);
    }
}
