using Microsoft.AspNetCore.Http;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Jobs;

namespace Vigor.Functions.Infrastructure;

internal static class JobResults
{
    /// <summary>200 with the job's result when it finished within the wait, 202 with <c>Location: /api/jobs/{id}</c> otherwise.</summary>
    public static IResult From(JobStart start) => start.Job.Status switch
    {
        JobStatus.Completed => TypedResults.Ok(start.Job.Result),
        JobStatus.Failed => Problems.Create(502, "job_failed", "The request could not be completed.", "Try again in a moment."),
        _ => TypedResults.Accepted($"/api/jobs/{start.Job.Id}", new JobAccepted(start.Job.Id, start.Job.Status)),
    };
}
