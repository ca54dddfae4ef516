using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Jobs;
using Vigor.Core.Llm.Gateway;

namespace Vigor.Functions.Infrastructure;

internal static class LlmResults
{
    /// <summary>
    /// An AI request's answer: 200 with the feature's payload when the job finished within the wait, 429 with the
    /// window's reset time when the quota refused it, 202 with the job to poll otherwise.
    /// </summary>
    public static IResult From(JobStart start, TimeProvider time)
    {
        if (start.Job.Status != JobStatus.Completed)
            return JobResults.From(start);
        // Built by this process when the job finished here; otherwise its stored form, read back.
        if ((start.Job.Output ?? start.Job.Result?.Deserialize<LlmJobOutput>(VigorJson.Options)) is not { } output)
            return JobResults.From(start);
        if (output.Result.Status == LlmJobResult.Denied)
        {
            var resets = output.Result.ResetsAt ?? time.GetUtcNow().AddDays(1);
            return Problems.Create(429, "quota_exceeded", "Your plan's AI request quota is used up.",
                $"The {output.Result.Denial} quota resets at {resets:O}. Upgrade for more requests.", resets - time.GetUtcNow());
        }
        return TypedResults.Ok(output.Payload);
    }
}
