using Microsoft.AspNetCore.Http;
using Vigor.Core.Infrastructure.Http;

namespace Vigor.Core.Auth;

/// <summary>The authenticated user of a request, set by the authentication middleware.</summary>
public sealed record Caller(Guid UserId, string Role)
{
    public bool IsAdmin => Role == Roles.Admin;
}

public static class Roles
{
    public const string User = "user";
    public const string Admin = "admin";
}

public static class CallerExtensions
{
    public static Caller GetCaller(this HttpContext context)
        => context.Items.TryGetValue(HttpContextKeys.Caller, out var value) && value is Caller caller
            ? caller
            : throw new InvalidOperationException("No authenticated caller: the route is anonymous or the middleware did not run.");

    public static Caller GetCaller(this HttpRequest request) => request.HttpContext.GetCaller();
}
