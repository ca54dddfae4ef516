using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Vigor.Core.Auth;
using Vigor.Core.Jobs;
using Vigor.Functions.Infrastructure;

namespace Vigor.Functions.Jobs;

internal sealed class JobsApi(JobService jobs)
{
    [Function(nameof(GetJob))]
    [ApiDoc("Jobs", "One of the caller's jobs (an AI request that answered 202)", Response = typeof(JobView), Errors = [404])]
    public async Task<IResult> GetJob(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/jobs/{id}")] HttpRequest req,
        string id,
        [DurableClient] DurableTaskClient durable,
        CancellationToken ct)
        => (await jobs.GetAsync(durable, req.GetCaller().UserId, id, ct)).ToResult(TypedResults.Ok);
}
