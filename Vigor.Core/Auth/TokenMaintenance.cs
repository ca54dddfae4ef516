namespace Vigor.Core.Auth;

/// <summary>What the purge timer does: drop refresh tokens past expiry (and their empty families) and old throttle windows.</summary>
internal sealed class TokenMaintenance(RefreshTokenRepository refreshTokens, LoginThrottle throttle)
{
    public async Task<(int Tokens, int Counters)> PurgeAsync(CancellationToken ct)
    {
        var tokens = await refreshTokens.PurgeExpiredAsync(ct);
        var counters = await throttle.PurgeAsync(TimeSpan.FromDays(1), ct);
        return (tokens, counters);
    }
}
