using System.Text.Json;
using Microsoft.DurableTask;
using System.Diagnostics;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Microsoft.Extensions.Logging;
using Vigor.Core.Llm.Gateway;
using Microsoft.Extensions.Options;
using Vigor.Core.Infrastructure;
using Vigor.Core.Infrastructure.Data;
using Vigor.Core.Infrastructure.Http;

namespace Vigor.Core.Jobs;

/// <summary>
/// Async request-reply over Durable: a job is an orchestration whose instance id is the job id, owned by one user.
/// Start waits a bounded time; the client then polls its own job resource, never Durable's management URLs. AI
/// requests begin inline and keep their input and (when they finish inline) their output in the job's row.
/// </summary>
internal sealed partial class JobService(
    JobRepository jobs, IOptions<JobOptions> options, Llm.Gateway.LlmInlineRunner inline, PendingSettles settles, ILogger<JobService> logger)
{
    private readonly SemaphoreSlim? admission = options.Value.MaxInFlight is > 0 and var max ? new SemaphoreSlim(max, max) : null;

    /// <summary>Durable's own converter: an inline job's stored output reads exactly as an orchestration's output does.</summary>
    internal static readonly DataConverter Converter = JsonDataConverter.Default;

    public Task<JobStart> StartAsync<TInput>(
        DurableTaskClient durable, Guid userId, string kind, string orchestrator, TInput input, CancellationToken ct)
        => StartAsync(durable, userId, kind, orchestrator, _ => input, ct);

    /// <summary>Starts a job whose input needs its own id (the LLM gateway keys every side effect by it).</summary>
    public async Task<JobStart> StartAsync<TInput>(
        DurableTaskClient durable, Guid userId, string kind, string orchestrator, Func<string, TInput> input, CancellationToken ct)
    {
        var id = NewId(kind);
        var row = await jobs.CreateAsync(id, userId, kind, ct);
        return await ScheduleAndWaitAsync(durable, row, orchestrator, input(id), Stopwatch.StartNew(), ct);
    }

    /// <summary>
    /// Routing's reads that do not depend on the prompt, as statements for the feature's own first batch;
    /// <see cref="RouteReads.After"/> then gives what <see cref="StartLlmAsync"/> takes.
    /// </summary>
    public RouteReads RouteReads(Guid userId) => inline.Reads(userId);

    /// <summary>
    /// An AI request: begun inline (<see cref="LlmInlineRunner"/>) and handed to <see cref="LlmOrchestrator"/> when the
    /// first candidate does not answer. The inline run is not tied to the caller: a client that hangs up, or a wait that
    /// ends (202), leaves it to finish and store its output for <c>GET jobs/{id}</c>. The job's row is written with the
    /// reservation, in its transaction (one round trip fewer); a wait that ends first writes it itself.
    /// </summary>
    public async Task<JobStart> StartLlmAsync(
        DurableTaskClient durable, Guid userId, string kind, Func<string, LlmJob> input, CancellationToken ct, RoutePrefetch? prefetch = null)
    {
        var waited = Stopwatch.StartNew();
        var id = NewId(kind);
        var job = input(id);
        var row = new JobRepository.Row(id, userId, kind, jobs.Now(), Inline: true);
        // Serialised only when written: a cache hit on a remembered entry writes the row complete, without its input.
        var create = new Lazy<PgStatement>(() => JobRepository.CreateStatement(row, Converter.Serialize(job)!));
        var routeReads = prefetch ?? inline.Prefetch(userId);
        var run = Task.Run(() => RunLlmAsync(durable, row, create, job, routeReads, waited), CancellationToken.None);
        try
        {
            var view = await run.WaitAsync(options.Value.Wait, ct);
            return new JobStart(view, view.Status is JobStatus.Completed or JobStatus.Failed);
        }
        catch (TimeoutException)
        {
            // The client is told to poll: the row must exist by then, whether or not the run has reserved yet.
            await jobs.EnsureAsync(create.Value, CancellationToken.None);
            return new JobStart(new JobView(row.Id, row.Kind, JobStatus.Running, null, null, row.CreatedAt), Finished: false);
        }
    }

    /// <summary>
    /// An AI request that is a remembered cache hit, built from what <see cref="LlmHitContexts"/> kept: the job's row,
    /// written complete, travels with the hit's one batch (<see cref="LlmInlineRunner.ContextHitAsync"/>). Null when the
    /// database stopped the batch, which then changed nothing: the caller goes the usual way.
    /// </summary>
    public async Task<JobStart?> TryStartContextHitAsync(Guid userId, string kind, Func<string, LlmJob> input, Usage.Tier tier,
        LlmCache.Remembered remembered, PgStatement contextGuard)
    {
        var id = NewId(kind);
        var row = new JobRepository.Row(id, userId, kind, jobs.Now(), Inline: true);
        // Not tied to the caller, as the inline run is not: one transaction, which a hang-up would only roll back.
        using var bound = new CancellationTokenSource(options.Value.InlineLimit);
        return await inline.ContextHitAsync(input(id), tier, remembered, row, contextGuard, bound.Token) is { } hit
            ? new JobStart(InlineResult(row, hit.Output), Finished: true)
            : null;
    }

    private async Task<JobView> RunLlmAsync(
        DurableTaskClient durable, JobRepository.Row row, Lazy<PgStatement> create, LlmJob job, RoutePrefetch prefetch, Stopwatch waited)
    {
        InlineOutcome? outcome = null;
        try
        {
            using var bound = new CancellationTokenSource(options.Value.InlineLimit);
            outcome = await inline.RunAsync(job, prefetch, row, create, bound.Token);
        }
        catch (Exception e)
        {
            // A store or worker failure mid-way: the orchestrator re-runs the steps, each keyed by the job id.
            InlineFailed(logger, e, row.Id);
        }
        if (outcome is InlineOutcome.Finished finished)
        {
            if (finished is { Settling: { } settling, Stored: not null })
            {
                // The answer goes out now; the settle step commits right after it (PendingSettles).
                settles.Track(row.UserId, SettleBehindAsync(durable, row, job, settling));
                return InlineResult(row, finished.Output);
            }
            if (finished.Stored is not null)
            {
                // Stored with the settle step's writes, unless the job had been handed over meanwhile.
                if (!finished.HandedOver)
                    return InlineResult(row, finished.Output);
            }
            else
            {
                if (await jobs.CompleteAsync(row.Id, Converter.Serialize(finished.Output)!, CancellationToken.None))
                    return InlineResult(row, finished.Output);
            }
        }
        else
        {
            // A run that failed before its reservation committed (the route, the reservation itself) did not write the row.
            if (outcome is null)
                await jobs.EnsureAsync(create.Value, CancellationToken.None);
            if (await jobs.HandOverAsync(row.Id, CancellationToken.None))
            {
                var resume = (outcome as InlineOutcome.HandOver)?.Resume;
                return (await ScheduleAndWaitAsync(durable, row, nameof(LlmOrchestrator), job with { Resume = resume }, waited, CancellationToken.None)).Job;
            }
        }
        // Handed over by LlmJobRecovery meanwhile: the orchestration's state is the job's.
        return ToView(row, await durable.GetInstanceAsync(row.Id, getInputsAndOutputs: true, CancellationToken.None));
    }

    // Time-ordered, so what a job creates can take the job's id and still sort by creation.
    private static string NewId(string kind) => kind + "-" + Guid.CreateVersion7().ToString("N");

    private async Task<JobStart> ScheduleAndWaitAsync<TInput>(
        DurableTaskClient durable, JobRepository.Row row, string orchestrator, TInput input, Stopwatch waited, CancellationToken ct)
    {
        var id = row.Id;
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(options.Value.Wait - waited.Elapsed is { Ticks: > 0 } left ? left : TimeSpan.Zero);
        var admitted = await AdmitAsync(wait.Token);
        try
        {
            await durable.ScheduleNewOrchestrationInstanceAsync(orchestrator, input, new StartOrchestrationOptions(id), ct);
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

    [LoggerMessage(1, LogLevel.Warning, "AI job {JobId} failed inline; handing it to the orchestrator")]
    private static partial void InlineFailed(ILogger logger, Exception e, string jobId);

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
        await settles.WhenSettledAsync(userId, ct);
        var row = await jobs.GetOwnAsync(id, userId, ct);
        if (row is null)
            return Problems.NotFound("job");
        if (row.Result is { } result)
            return InlineResult(row, result);
        if (row.Inline && !row.HandedOver)
            return new JobView(row.Id, row.Kind, JobStatus.Running, null, null, row.CreatedAt);
        return ToView(row, await durable.GetInstanceAsync(id, getInputsAndOutputs: true, ct));
    }

    /// <summary>An inline job's stored output (Durable's converter wrote it, so it reads as an orchestration's output).</summary>
    private static JobView InlineResult(JobRepository.Row row, string output)
        => new(row.Id, row.Kind, JobStatus.Completed, JsonSerializer.Deserialize<JsonElement>(output), null, row.CreatedAt);

    /// <summary>An inline job that finished in this request: its output as built, not read back from the form it is stored in.</summary>
    private static JobView InlineResult(JobRepository.Row row, LlmJobOutput output)
        => new(row.Id, row.Kind, JobStatus.Completed, null, null, row.CreatedAt) { Output = output };

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
