using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Vigor.Core.Auth;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Workouts;
using Vigor.Functions.Infrastructure;

namespace Vigor.Functions.Workouts;

internal sealed class WorkoutLogsApi(WorkoutLogService logs, TimeProvider time)
{
    /// <summary>30 exercises of 50 sets fit in about 128 KiB of compact JSON; the rest is room for formatting.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    [Function(nameof(LogWorkout))]
    [ApiDoc("Training", "Log a performed session; the answer lists the personal records it set",
        Request = typeof(LogWorkoutRequest), Response = typeof(WorkoutLogView), Status = 201, Errors = [400, 413, 415])]
    public async Task<IResult> LogWorkout([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/workouts/logs")] HttpRequest req, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<LogWorkoutRequest>(req, ct, MaxBodyBytes);
        if (problem is not null)
            return problem;
        return (await logs.LogAsync(req.GetCaller().UserId, body!, ct))
            .ToResult(log => TypedResults.Created($"/api/workouts/logs/{log.Id}", log));
    }

    [Function(nameof(ListWorkoutLogs))]
    [ApiDoc("Training", "The caller's sessions performed in a time range, newest first", Response = typeof(Page<WorkoutLogView>), Errors = [400])]
    [ApiQuery("from", "string", "ISO-8601 date or UTC time (default: 30 days before `to`)")]
    [ApiQuery("to", "string", "ISO-8601 date (inclusive) or UTC time (default: now); at most 366 days after `from`")]
    [ApiQuery("limit", "integer", "Page size, 1-100 (default 20)")]
    [ApiQuery("cursor", "string", "The nextCursor of the previous page")]
    public async Task<IResult> ListWorkoutLogs([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/workouts/logs")] HttpRequest req, CancellationToken ct)
    {
        var range = DateRange.Read(req.Query, time.GetUtcNow());
        if (range.Problem is not null)
            return range.Problem;
        var paging = Paging.Read(req.Query);
        if (paging.Problem is not null)
            return paging.Problem;
        return TypedResults.Ok(await logs.ListAsync(req.GetCaller().UserId, range.Value, paging.Value, ct));
    }

    [Function(nameof(GetWorkoutLog))]
    [ApiDoc("Training", "One of the caller's logged sessions", Response = typeof(WorkoutLogView), Errors = [404])]
    public async Task<IResult> GetWorkoutLog(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/workouts/logs/{id}")] HttpRequest req, string id, CancellationToken ct)
        => (await logs.GetAsync(req.GetCaller().UserId, id, ct)).ToResult(TypedResults.Ok);

    [Function(nameof(DeleteWorkoutLog))]
    [ApiDoc("Training", "Delete one of the caller's logged sessions", Status = 204, Errors = [404])]
    public async Task<IResult> DeleteWorkoutLog(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/workouts/logs/{id}")] HttpRequest req, string id, CancellationToken ct)
        => await logs.DeleteAsync(req.GetCaller().UserId, id, ct) is { } problem ? problem : TypedResults.NoContent();
}
