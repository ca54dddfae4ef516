using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Vigor.Core.Admin;
using Vigor.Core.Auth;
using Vigor.Core.Infrastructure.Http;
using Vigor.Functions.Infrastructure;

namespace Vigor.Functions.Admin;

internal sealed class AdminUsersApi(AdminUserService users)
{
    [Function(nameof(FindUsers))]
    [ApiDoc("Admin", "Find users by email or display name (admin role)", Response = typeof(Page<UserSummary>), Errors = [400, 403])]
    [ApiQuery("q", "string", "Part of an email or display name")]
    [ApiQuery("limit", "integer", "Page size, 1-100 (default 20)")]
    [ApiQuery("cursor", "string", "The nextCursor of the previous page")]
    public async Task<IResult> FindUsers([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/users")] HttpRequest req, CancellationToken ct)
    {
        var paging = Paging.Read(req.Query);
        if (paging.Problem is not null)
            return paging.Problem;
        var q = req.Query["q"].ToString();
        if (q.Length > 100)
            return Problems.Validation("q", "must be at most 100 characters.");
        return TypedResults.Ok(await users.FindAsync(q, paging.Value, ct));
    }
}
