using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Vigor.Core.Admin;
using Vigor.Core.Infrastructure.Http;
using Vigor.Functions.Infrastructure;

namespace Vigor.Functions.Admin;

internal sealed class AdminUsageApi(AdminUsageService usage, TimeProvider time)
{
    [Function(nameof(QueryUsage))]
    [ApiDoc("Admin", "AI requests, tokens and cost from the LLM call ledger, grouped by day, tier, provider, feature or user (top users by cost)",
        Response = typeof(UsageBreakdown), Errors = [400, 403])]
    [ApiQuery("groupBy", "string", "Required: day, tier, provider, feature or user")]
    [ApiQuery("from", "string", "ISO-8601 date or UTC time (default: 30 days before to)")]
    [ApiQuery("to", "string", "ISO-8601 date (the whole day) or UTC time (default: now); at most 366 days after from")]
    [ApiQuery("limit", "integer", "groupBy=user only: how many users, by cost, 1-100 (default 20)")]
    public async Task<IResult> QueryUsage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/usage")] HttpRequest req, CancellationToken ct)
    {
        var range = DateRange.Read(req.Query, time.GetUtcNow());
        if (range.Problem is not null)
            return range.Problem;
        return (await usage.QueryAsync(range.Value, req.Query["groupBy"].FirstOrDefault(), req.Query["limit"].FirstOrDefault(), ct)).ToResult(TypedResults.Ok);
    }
}
