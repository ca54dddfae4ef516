using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Vigor.Core.Auth;
using Vigor.Core.Usage;
using Vigor.Functions.Infrastructure;

namespace Vigor.Functions.Usage;

internal sealed class UsageApi(UsageService usage)
{
    [Function(nameof(ListTiers)), Anonymous]
    [ApiDoc("Tiers", "The tier catalogue: prices, request quotas, AI budgets and features", Response = typeof(IReadOnlyList<Tier>))]
    public async Task<IResult> ListTiers([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/tiers")] HttpRequest req, CancellationToken ct)
        => TypedResults.Ok(await usage.ListTiersAsync(ct));

    [Function(nameof(GetMyUsage))]
    [ApiDoc("Tiers", "The caller's AI requests per day/week/month and AI spend this month, against their tier", Response = typeof(UsageReport))]
    public async Task<IResult> GetMyUsage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/me/usage")] HttpRequest req, CancellationToken ct)
        => (await usage.GetAsync(req.GetCaller().UserId, ct)).ToResult(TypedResults.Ok);
}
