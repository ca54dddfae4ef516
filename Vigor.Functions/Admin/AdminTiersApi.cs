using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Vigor.Core.Admin;
using Vigor.Core.Auth;
using Vigor.Core.Infrastructure.Http;
using Vigor.Functions.Infrastructure;

namespace Vigor.Functions.Admin;

internal sealed class AdminTiersApi(TierAdminService tiers)
{
    [Function(nameof(ListTierSettings))]
    [ApiDoc("Admin", "Every tier with its price, request quotas, monthly AI budget, features, model class and allowed providers",
        Response = typeof(IReadOnlyList<TierSettings>), Errors = [403])]
    public async Task<IResult> ListTierSettings([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/tiers")] HttpRequest req, CancellationToken ct)
        => TypedResults.Ok(await tiers.ListAsync(ct));

    [Function(nameof(UpdateTier))]
    [ApiDoc("Admin", "Replace a tier's settings and allowed providers (audit-logged); enforcement uses them from the next AI request",
        Request = typeof(TierUpdate), Response = typeof(TierSettings), Errors = [400, 403, 404, 413, 415])]
    public async Task<IResult> UpdateTier(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/admin/tiers/{id}")] HttpRequest req, string id, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<TierUpdate>(req, ct, maxBytes: 16 * 1024);
        return problem ?? (await tiers.UpdateAsync(req.GetCaller().UserId, id, body!, ct)).ToResult(TypedResults.Ok);
    }
}
