using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Vigor.Core.Auth;

/// <summary>
/// Issues and validates access tokens: ES256 JWS with a kid, typ <c>at+jwt</c>, issuer, audience, short expiry.
/// Validation pins the algorithm and type (RFC 8725), requires exp, uses an explicit clock skew and only the
/// keys of the ring, matched by kid.
/// </summary>
internal sealed partial class AccessTokenService(SigningKeyRing keyRing, IOptions<AuthOptions> options, TimeProvider time)
{
    public const string TokenType = "at+jwt";
    private const int MaxTokenLength = 4096;

    private const int MaxCachedTokens = 50_000;

    private readonly JsonWebTokenHandler handler = new() { MapInboundClaims = false, SetDefaultTimesOnTokenCreation = false };

    // A token's signature, issuer, audience and type never change, so each is verified once per process and
    // remembered until it expires. Entries are tied to the key ring they were checked against: rotating or
    // retiring a key invalidates them. Expiry is checked on every hit.
    private readonly ConcurrentDictionary<string, Validated> validated = new(StringComparer.Ordinal);

    private sealed record Validated(SigningKeyRing.Snapshot Keys, Guid UserId, string Role, DateTime Expires);

    public async Task<(string Token, int ExpiresIn)> IssueAsync(Guid userId, string role, CancellationToken ct)
    {
        var keys = await keyRing.GetAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var lifetime = options.Value.AccessTokenLifetime;
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Audience = options.Value.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            TokenType = TokenType,
            SigningCredentials = keys.Signing,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = userId.ToString(),
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
                ["role"] = role,
            },
        });
        return (token, (int)lifetime.TotalSeconds);
    }

    /// <summary>The token's user and role, or null for any token that is not a valid access token of ours.</summary>
    public async Task<(Guid UserId, string Role)?> ValidateAsync(string token, CancellationToken ct)
    {
        // Compact JWS only (three base64url parts): no JWE, no JSON serialization, bounded size.
        if (token.Length > MaxTokenLength || !CompactJws().IsMatch(token))
            return null;
        var keys = await keyRing.GetAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        if (validated.TryGetValue(token, out var hit))
        {
            if (ReferenceEquals(hit.Keys, keys) && now <= hit.Expires + options.Value.ClockSkew)
                return (hit.UserId, hit.Role);
            validated.TryRemove(token, out _);
        }
        var result = await handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = options.Value.Issuer,
            ValidAudience = options.Value.Audience,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ValidTypes = [TokenType],
            IssuerSigningKeys = keys.ValidationKeys,
            TryAllIssuerSigningKeys = false,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = options.Value.ClockSkew,
            LifetimeValidator = (notBefore, expires, _, parameters) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                return expires is { } exp && now <= exp + parameters.ClockSkew && (notBefore is not { } nbf || now + parameters.ClockSkew >= nbf);
            },
        });
        if (!result.IsValid)
            return null;
        var sub = result.ClaimsIdentity.FindFirst(JwtRegisteredClaimNames.Sub)?.Value;
        var role = result.ClaimsIdentity.FindFirst("role")?.Value;
        if (!Guid.TryParse(sub, out var userId) || role is not (Roles.User or Roles.Admin))
            return null;
        Remember(token, new Validated(keys, userId, role, result.SecurityToken.ValidTo), now);
        return (userId, role);
    }

    private void Remember(string token, Validated entry, DateTime now)
    {
        if (validated.Count >= MaxCachedTokens)
        {
            foreach (var (key, value) in validated)
            {
                if (value.Expires + options.Value.ClockSkew < now || !ReferenceEquals(value.Keys, entry.Keys))
                    validated.TryRemove(key, out _);
            }
            if (validated.Count >= MaxCachedTokens)
                validated.Clear();
        }
        validated[token] = entry;
    }

    public static ClaimsPrincipal ToPrincipal(Caller caller) => new(new ClaimsIdentity(
        [new Claim(JwtRegisteredClaimNames.Sub, caller.UserId.ToString()), new Claim(ClaimTypes.Role, caller.Role)], "Bearer"));

    [GeneratedRegex("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$")]
    private static partial Regex CompactJws();
}
