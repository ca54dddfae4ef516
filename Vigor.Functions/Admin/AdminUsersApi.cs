using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Vigor.Core.Admin;
using Vigor.Core.Auth;
using Vigor.Core.Infrastructure.Http;
using Vigor.Functions.Infrastructure;

namespace Vigor.Functions.Admin;

internal sealed class AdminUsersApi(AdminUserService users)
{
    private const int MaxBodyBytes = 4 * 1024;

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

    [Function(nameof(GetUser))]
    [ApiDoc("Admin", "A user with role, tier, status, creation time and this month's AI usage from the ledger", Response = typeof(UserDetail), Errors = [403, 404])]
    public async Task<IResult> GetUser([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/users/{id}")] HttpRequest req, string id, CancellationToken ct)
        => (await users.GetAsync(id, ct)).ToResult(TypedResults.Ok);

    [Function(nameof(ChangeUserTier))]
    [ApiDoc("Admin", "Move a user to another tier (audit-logged); it applies to their next AI request and to me/usage",
        Request = typeof(UserTierChange), Response = typeof(UserDetail), Errors = [400, 403, 404, 413, 415])]
    public async Task<IResult> ChangeUserTier(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/admin/users/{id}/tier")] HttpRequest req, string id, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<UserTierChange>(req, ct, MaxBodyBytes);
        return problem ?? (await users.ChangeTierAsync(req.GetCaller().UserId, id, body!, ct)).ToResult(TypedResults.Ok);
    }

    [Function(nameof(ChangeUserStatus))]
    [ApiDoc("Admin", "Suspend or reactivate a user (audit-logged with the reason). A suspended user's access tokens stop working at their next request and their refresh tokens are revoked; admins cannot suspend themselves or the last active admin (409)",
        Request = typeof(UserStatusChange), Response = typeof(UserDetail), Errors = [400, 403, 404, 409, 413, 415])]
    public async Task<IResult> ChangeUserStatus(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/admin/users/{id}/status")] HttpRequest req, string id, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<UserStatusChange>(req, ct, MaxBodyBytes);
        return problem ?? (await users.ChangeStatusAsync(req.GetCaller().UserId, id, body!, ct)).ToResult(TypedResults.Ok);
    }
}
