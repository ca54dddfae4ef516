using Vigor.Core.Auth;
using Vigor.Core.Infrastructure;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Usage;

namespace Vigor.Core.Admin;

internal sealed class AdminUserService(UserRepository users, AdminUserRepository store, TierRepository tiers, TimeProvider time)
{
    public const int MaxReasonLength = 500;

    public async Task<Page<UserSummary>> FindAsync(string? query, PageRequest page, CancellationToken ct)
    {
        var rows = await users.SearchAsync(query, page.After, page.Limit + 1, ct);
        return Paging.ToPage(rows.Select(r => r.ToSummary()).ToList(), page.Limit, u => u.Id);
    }

    public async Task<Outcome<UserDetail>> GetAsync(string id, CancellationToken ct)
    {
        if (ResourceId.TryParse(id) is not { } userId || await store.GetAsync(userId, ct) is not { } row)
            return Problems.NotFound("user");
        var now = time.GetUtcNow();
        var usage = await tiers.GetUsageAsync(userId, UsageWindows.Starts(now), ct);
        return new UserDetail(row.Id, row.Email, row.DisplayName, row.Role, row.Tier, row.Status, row.IsMinor, row.CreatedAt, row.UpdatedAt,
            new UserMonthUsage(UsageWindows.Month(now)[2..], usage?.MonthRequests ?? 0, usage?.MonthInputTokens ?? 0, usage?.MonthOutputTokens ?? 0,
                usage?.MonthCostUsd ?? 0));
    }

    public async Task<Outcome<UserDetail>> ChangeTierAsync(Guid actor, string id, UserTierChange body, CancellationToken ct)
    {
        if (ResourceId.TryParse(id) is not { } userId)
            return Problems.NotFound("user");
        var names = (await tiers.ListAsync(ct)).Select(t => t.Name).ToList();
        if (body.Tier is null || !names.Contains(body.Tier))
            return Problems.Validation("tier", $"must be one of: {string.Join(", ", names)}.");
        return await ThenGetAsync(await store.ChangeTierAsync(userId, body.Tier, actor, ct), id, ct);
    }

    public async Task<Outcome<UserDetail>> ChangeStatusAsync(Guid actor, string id, UserStatusChange body, CancellationToken ct)
    {
        if (ResourceId.TryParse(id) is not { } userId)
            return Problems.NotFound("user");
        var errors = new FieldErrors()
            .Check(body.Status is not null && UserStatuses.All.Contains(body.Status), "status", $"must be one of: {string.Join(", ", UserStatuses.All)}.")
            .Text(body.Reason, "reason", MaxReasonLength);
        if (!errors.IsEmpty)
            return errors.ToProblem();
        var reason = string.IsNullOrWhiteSpace(body.Reason) ? null : body.Reason.Trim();
        return await ThenGetAsync(await store.ChangeStatusAsync(userId, body.Status!, reason, actor, ct), id, ct);
    }

    private async Task<Outcome<UserDetail>> ThenGetAsync(AdminUserRepository.Result result, string id, CancellationToken ct) => result switch
    {
        AdminUserRepository.Result.Done or AdminUserRepository.Result.Unchanged => await GetAsync(id, ct),
        AdminUserRepository.Result.NotFound => Problems.NotFound("user"),
        AdminUserRepository.Result.ActorNotAdmin => Problems.Forbidden(),
        AdminUserRepository.Result.SelfSuspension => Problems.Create(409, "self_suspension", "Admins cannot suspend themselves.",
            "Ask another admin; this keeps at least one admin able to undo a suspension."),
        AdminUserRepository.Result.LastAdmin => Problems.Create(409, "last_admin", "The last active admin cannot be suspended."),
        _ => throw new InvalidOperationException($"Unknown result {result}."),
    };
}
