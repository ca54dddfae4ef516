using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Vigor.Core.Admin;
using Vigor.Core.Auth;
using Vigor.Core.Infrastructure.Http;
using Vigor.Functions.Infrastructure;

namespace Vigor.Functions.Admin;

internal sealed class AdminBudgetsApi(BudgetService budgets)
{
    [Function(nameof(GetBudgets))]
    [ApiDoc("Admin", "The global monthly AI budget, alert thresholds, hard stop, this month's spend and the per-provider caps", Response = typeof(BudgetSettings), Errors = [403])]
    public async Task<IResult> GetBudgets([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/budgets")] HttpRequest req, CancellationToken ct)
        => TypedResults.Ok(await budgets.GetAsync(ct));

    [Function(nameof(UpdateBudgets))]
    [ApiDoc("Admin", "Replace the global budget settings (audit-logged); per-provider caps are set on the provider",
        Request = typeof(BudgetUpdate), Response = typeof(BudgetSettings), Errors = [400, 403, 413, 415])]
    public async Task<IResult> UpdateBudgets([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/admin/budgets")] HttpRequest req, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<BudgetUpdate>(req, ct, maxBytes: 4 * 1024);
        return problem ?? (await budgets.UpdateAsync(req.GetCaller().UserId, body!, ct)).ToResult(TypedResults.Ok);
    }
}
