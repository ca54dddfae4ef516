using Microsoft.Extensions.Logging;

namespace Vigor.Core.Workouts;

internal static partial class WorkoutsLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Logs} workout logs failed; storing them one by one")]
    public static partial void BatchFailed(ILogger logger, Exception exception, int logs);
}
