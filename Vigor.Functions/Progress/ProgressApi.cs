using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Vigor.Core.Auth;
using Vigor.Core.Progress;
using Vigor.Functions.Infrastructure;

namespace Vigor.Functions.Progress;

internal sealed class ProgressApi(ProgressService progress)
{
    [Function(nameof(GetProgress))]
    [ApiDoc("Training", "Streaks, sessions and sets per muscle per week against the level's band, personal records, e1RM trends, plateaus and a deload suggestion",
        Response = typeof(ProgressSummary), Errors = [400])]
    [ApiQuery("weeks", "integer", "Weeks of weekly figures and e1RM trend points, 1-52 (default 8); records, plateaus and streaks use all history")]
    public async Task<IResult> GetProgress([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/progress")] HttpRequest req, CancellationToken ct)
        => (await progress.GetAsync(req.GetCaller().UserId, req.Query["weeks"], ct)).ToResult(TypedResults.Ok);
}
