using Microsoft.AspNetCore.Http;

namespace Vigor.Core.Auth;

/// <summary>
/// Turns a request's bearer token into a <see cref="Caller"/>: a valid access token of a user who still exists
/// and is active. The user's state is read on every request so deletion, suspension and role changes apply at once.
/// </summary>
internal sealed class RequestAuthenticator(AccessTokenService tokens, UserRepository users)
{
    public async Task<Caller?> AuthenticateAsync(HttpRequest request, CancellationToken ct)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.Length < 8 || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return null;
        var validated = await tokens.ValidateAsync(header[7..].Trim(), ct);
        if (validated is not { } token)
            return null;
        var state = await users.GetAuthStateAsync(token.UserId, ct);
        if (state is not { Status: "active" } current)
            return null;
        return new Caller(token.UserId, current.Role);
    }
}
