using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Vigor.Core.Auth;
using Vigor.Core.Progress;
using Vigor.Functions.Infrastructure;

namespace Vigor.Functions.Progress;

internal sealed class ProgressApi(ProgressService progress, IOptions<JsonOptions> json)
{
    /// <summary>
    /// A summary served from ProgressCache is one object for all its readers, so it is serialised once (a year of logs
    /// at 12 weeks is ~38 KB of JSON); the bytes go when the summary does.
    /// </summary>
    private static readonly ConditionalWeakTable<ProgressSummary, byte[]> Serialized = new();

    [Function(nameof(GetProgress))]
    [ApiDoc("Training", "Streaks, sessions and sets per muscle per week against the level's band, personal records, e1RM trends, plateaus and a deload suggestion",
        Response = typeof(ProgressSummary), Errors = [400])]
    [ApiQuery("weeks", "integer", "Weeks of weekly figures and e1RM trend points, 1-52 (default 8); records, plateaus and streaks use all history")]
    public async Task<IResult> GetProgress([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/progress")] HttpRequest req, CancellationToken ct)
        => (await progress.GetAsync(req.GetCaller().UserId, req.Query["weeks"], ct)).ToResult(summary => TypedResults.Bytes(
            Serialized.GetValue(summary, s => JsonSerializer.SerializeToUtf8Bytes(s, json.Value.SerializerOptions)), "application/json; charset=utf-8"));
}
