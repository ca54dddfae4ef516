using Microsoft.AspNetCore.Http;

namespace Vigor.Core.Auth;

/// <summary>
/// Turns a request's bearer token into a <see cref="Caller"/>: a valid access token of a user who still exists
/// and is active. The user's state comes from <see cref="AuthStateCache"/>, which is exact (deletion, suspension and role
/// changes apply at once), or else from the database.
/// </summary>
internal sealed class RequestAuthenticator(AccessTokenService tokens, UserRepository users, AuthStateCache cache)
{
    public async Task<Caller?> AuthenticateAsync(HttpRequest request, CancellationToken ct)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.Length < 8 || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return null;
        var validated = await tokens.ValidateAsync(header[7..].Trim(), ct);
        if (validated is not { } token)
            return null;
        if (!cache.TryGet(token.UserId, out var state))
        {
            var ticket = cache.Begin(token.UserId);
            if (await users.GetAuthStateAsync(token.UserId, ct) is not { } read)
                return null;
            cache.Store(token.UserId, read, ticket);
            state = read;
        }
        return state.Status == "active" ? new Caller(token.UserId, state.Role) : null;
    }
}
