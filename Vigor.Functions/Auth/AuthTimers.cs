using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Vigor.Core.Auth;

namespace Vigor.Functions.Auth;

internal sealed class AuthTimers(TokenMaintenance maintenance, ILogger<AuthTimers> logger)
{
    [Function(nameof(PurgeRefreshTokens))]
    public async Task PurgeRefreshTokens([TimerTrigger("%Timers:PurgeRefreshTokensSchedule%")] TimerInfo timer, CancellationToken ct)
    {
        var purged = await maintenance.PurgeAsync(ct);
        logger.LogInformation("Purged {Tokens} expired refresh tokens and {Counters} stale login counters", purged.Tokens, purged.Counters);
    }
}
