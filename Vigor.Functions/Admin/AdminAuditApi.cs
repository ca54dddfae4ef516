using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Vigor.Core.Admin;
using Vigor.Core.Infrastructure.Http;
using Vigor.Functions.Infrastructure;

namespace Vigor.Functions.Admin;

internal sealed class AdminAuditApi(AuditLog audit)
{
    [Function(nameof(ListAuditEntries))]
    [ApiDoc("Admin", "The admin audit log, newest first: who changed what, with the state before and after", Response = typeof(Page<AuditEntry>), Errors = [400, 403])]
    [ApiQuery("action", "string", "Only this action, e.g. provider.update or budgets.update")]
    [ApiQuery("limit", "integer", "Page size, 1-100 (default 20)")]
    [ApiQuery("cursor", "string", "The nextCursor of the previous page")]
    public async Task<IResult> ListAuditEntries([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/audit")] HttpRequest req, CancellationToken ct)
    {
        var paging = Paging.Read(req.Query);
        if (paging.Problem is not null)
            return paging.Problem;
        var action = req.Query["action"].ToString();
        if (action.Length > AuditLog.MaxActionLength || !action.All(c => char.IsAsciiLetterLower(c) || c is '.' or '_'))
            return Problems.Validation("action", "must be an action name such as provider.update.");
        return TypedResults.Ok(await audit.ListAsync(action.Length == 0 ? null : action, paging.Value, ct));
    }
}
