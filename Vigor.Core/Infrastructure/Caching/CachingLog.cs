using Microsoft.Extensions.Logging;

namespace Vigor.Core.Infrastructure.Caching;

internal static partial class CachingLog
{
    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Could not notify other instances that {Users} users' data changed; their cached entries there stay until their max age")]
    public static partial void NotifyFailed(ILogger logger, Exception exception, int users);
}
