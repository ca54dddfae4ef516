using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Vigor.Core.Auth;
using Vigor.Core.Workouts.Analysis;
using Vigor.Functions.Infrastructure;

namespace Vigor.Functions.Workouts;

internal sealed class WorkoutAnalysisApi(WorkoutAnalysisService analysis, TimeProvider time)
{
    [Function(nameof(AnalyzeWorkout))]
    [ApiDoc("Training", "AI feedback on one of the caller's logged sessions (premium and unlimited; 200, or 202 with a job)",
        Response = typeof(WorkoutAnalysis), Errors = [202, 403, 404, 429])]
    public async Task<IResult> AnalyzeWorkout(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/workouts/logs/{id}/analysis")] HttpRequest req,
        string id,
        [DurableClient] DurableTaskClient durable,
        CancellationToken ct)
        => (await analysis.StartAsync(req.GetCaller().UserId, id, durable, ct)).ToResult(start => LlmResults.From(start, time));
}
