using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Vigor.Core.Auth;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Workouts;
using Vigor.Core.Workouts.Generation;
using Vigor.Functions.Infrastructure;

namespace Vigor.Functions.Workouts;

internal sealed class PlanGenerationApi(PlanGenerationService generation, TimeProvider time)
{
    [Function(nameof(GeneratePlan))]
    [ApiDoc("Training", "An AI-written plan for the caller's profile, checked by the plan validator and saved (200 with the plan, or 202 with a job)",
        Request = typeof(GeneratePlanRequest), Response = typeof(PlanView), Errors = [202, 400, 403, 413, 415, 429])]
    public async Task<IResult> GeneratePlan(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/workouts/plans/generate")] HttpRequest req,
        [DurableClient] DurableTaskClient durable,
        CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<GeneratePlanRequest>(req, ct, maxBytes: 4 * 1024);
        if (problem is not null)
            return problem;
        return (await generation.StartAsync(req.GetCaller().UserId, body!, durable, ct)).ToResult(start => LlmResults.From(start, time));
    }
}
