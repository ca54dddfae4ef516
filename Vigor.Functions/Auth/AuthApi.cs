using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Vigor.Core.Auth;
using Vigor.Core.Infrastructure.Http;
using Vigor.Functions.Infrastructure;

namespace Vigor.Functions.Auth;

internal sealed class AuthApi(AuthService auth, IOptions<AuthOptions> options)
{
    [Function(nameof(Register)), Anonymous]
    [ApiDoc("Accounts", "Create an account", Request = typeof(RegisterRequest), Response = typeof(AuthResponse), Status = 201, Errors = [400, 409, 413, 415])]
    public async Task<IResult> Register([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/auth/register")] HttpRequest req, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<RegisterRequest>(req, ct);
        if (problem is not null)
            return problem;
        return (await auth.RegisterAsync(body!, ct)).ToResult(r => TypedResults.Created("/api/me", r));
    }

    [Function(nameof(Login)), Anonymous]
    [ApiDoc("Accounts", "Log in with email and password", Request = typeof(LoginRequest), Response = typeof(AuthResponse), Errors = [400, 401, 413, 415, 429])]
    public async Task<IResult> Login([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/auth/login")] HttpRequest req, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<LoginRequest>(req, ct);
        if (problem is not null)
            return problem;
        var client = ClientAddress.Of(req, options.Value.Throttle);
        return (await auth.LoginAsync(body!, client, ct)).ToResult(TypedResults.Ok);
    }

    [Function(nameof(RefreshTokens)), Anonymous]
    [ApiDoc("Accounts", "Trade a refresh token for a new token pair (the old one is spent)", Request = typeof(RefreshRequest), Response = typeof(AuthResponse), Errors = [400, 401, 413, 415])]
    public async Task<IResult> RefreshTokens([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/auth/refresh")] HttpRequest req, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<RefreshRequest>(req, ct);
        if (problem is not null)
            return problem;
        return (await auth.RefreshAsync(body!, ct)).ToResult(TypedResults.Ok);
    }

    [Function(nameof(Logout)), Anonymous]
    [ApiDoc("Accounts", "Revoke a refresh token's whole family", Request = typeof(RefreshRequest), Status = 204, Errors = [400, 413, 415])]
    public async Task<IResult> Logout([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/auth/logout")] HttpRequest req, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<RefreshRequest>(req, ct);
        if (problem is not null)
            return problem;
        await auth.LogoutAsync(body!, ct);
        return TypedResults.NoContent();
    }
}
