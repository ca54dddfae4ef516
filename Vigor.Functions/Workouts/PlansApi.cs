using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Vigor.Core.Auth;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Workouts;
using Vigor.Functions.Infrastructure;

namespace Vigor.Functions.Workouts;

internal sealed class PlansApi(PlanService plans)
{
    [Function(nameof(CreatePlan))]
    [ApiDoc("Training", "Save a manual weekly plan; it is checked against the caller's profile and stored with the findings (hasErrors when any is an error)",
        Request = typeof(CreatePlanRequest), Response = typeof(PlanView), Status = 201, Errors = [400, 413, 415])]
    public async Task<IResult> CreatePlan([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/workouts/plans")] HttpRequest req, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<CreatePlanRequest>(req, ct);
        if (problem is not null)
            return problem;
        return (await plans.CreateManualAsync(req.GetCaller().UserId, body!, ct))
            .ToResult(plan => TypedResults.Created($"/api/workouts/plans/{plan.Id}", plan));
    }

    [Function(nameof(ListPlans))]
    [ApiDoc("Training", "The caller's plans, newest first", Response = typeof(Page<PlanView>), Errors = [400])]
    [ApiQuery("limit", "integer", "Page size, 1-100 (default 20)")]
    [ApiQuery("cursor", "string", "The nextCursor of the previous page")]
    public async Task<IResult> ListPlans([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/workouts/plans")] HttpRequest req, CancellationToken ct)
    {
        var paging = Paging.Read(req.Query);
        if (paging.Problem is not null)
            return paging.Problem;
        return TypedResults.Ok(await plans.ListAsync(req.GetCaller().UserId, paging.Value, ct));
    }

    [Function(nameof(GetPlan))]
    [ApiDoc("Training", "One of the caller's plans with its findings", Response = typeof(PlanView), Errors = [404])]
    public async Task<IResult> GetPlan(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/workouts/plans/{id}")] HttpRequest req, string id, CancellationToken ct)
        => (await plans.GetAsync(req.GetCaller().UserId, id, ct)).ToResult(TypedResults.Ok);

    [Function(nameof(DeletePlan))]
    [ApiDoc("Training", "Delete one of the caller's plans (sessions logged against it keep their data)", Status = 204, Errors = [404])]
    public async Task<IResult> DeletePlan(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/workouts/plans/{id}")] HttpRequest req, string id, CancellationToken ct)
        => await plans.DeleteAsync(req.GetCaller().UserId, id, ct) is { } problem ? problem : TypedResults.NoContent();
}
