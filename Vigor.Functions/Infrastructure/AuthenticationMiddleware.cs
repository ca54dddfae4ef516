using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Vigor.Core.Auth;
using Vigor.Core.Infrastructure.Http;

namespace Vigor.Functions.Infrastructure;

/// <summary>
/// Every HTTP function needs a valid access token unless it is marked <see cref="AnonymousAttribute"/>;
/// routes under <c>api/admin/</c> also need the admin role. Unknown functions are refused, not let through.
/// </summary>
internal sealed class AuthenticationMiddleware(RequestAuthenticator authenticator) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.GetHttpContext();
        if (http is null)
        {
            await next(context);
            return;
        }
        var function = FunctionCatalog.FindHttp(context.FunctionDefinition.Name);
        if (function is { Anonymous: true })
        {
            await next(context);
            return;
        }

        var caller = function is null ? null : await authenticator.AuthenticateAsync(http.Request, http.RequestAborted);
        if (caller is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            await Problems.Unauthorized().ExecuteAsync(http);
            return;
        }
        if (function!.Route.StartsWith("api/admin/", StringComparison.OrdinalIgnoreCase) && !caller.IsAdmin)
        {
            await Problems.Forbidden("This route needs the admin role.").ExecuteAsync(http);
            return;
        }
        http.Items[HttpContextKeys.Caller] = caller;
        http.User = AccessTokenService.ToPrincipal(caller);
        await next(context);
    }
}
