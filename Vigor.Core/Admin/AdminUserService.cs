using Vigor.Core.Auth;
using Vigor.Core.Infrastructure.Http;

namespace Vigor.Core.Admin;

internal sealed class AdminUserService(UserRepository users)
{
    public async Task<Page<UserSummary>> FindAsync(string? query, PageRequest page, CancellationToken ct)
    {
        var rows = await users.SearchAsync(query, page.After, page.Limit + 1, ct);
        return Paging.ToPage(rows.Select(r => r.ToSummary()).ToList(), page.Limit, u => u.Id);
    }
}
