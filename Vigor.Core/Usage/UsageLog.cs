using Microsoft.Extensions.Logging;

namespace Vigor.Core.Usage;

/// <summary>Rollup and budget events. Scopes are app-wide names (global, provider.x): never a user.</summary>
internal static partial class UsageLog
{
    // infra-bicep/modules/alerts.bicep alerts on customDimensions.EventName == "BudgetThresholdCrossed" or on that word in
    // the message, so the message starts with it too: the rule still fires should a log pipeline drop the event name.
    [LoggerMessage(EventId = 4101, EventName = "BudgetThresholdCrossed", Level = LogLevel.Warning,
        Message = "BudgetThresholdCrossed: {Scope} spent {SpentUsd} of {LimitUsd} USD in {Period}, crossing {Threshold} %; month-end forecast {ForecastUsd} USD")]
    public static partial void BudgetThresholdCrossed(ILogger logger, string scope, decimal spentUsd, decimal limitUsd, string period, int threshold, decimal forecastUsd);

    [LoggerMessage(EventId = 4102, EventName = "BudgetWebhookRefused", Level = LogLevel.Warning, Message = "The budget alert webhook answered {StatusCode}; retrying at the next watch")]
    public static partial void WebhookRefused(ILogger logger, int statusCode);

    [LoggerMessage(EventId = 4103, EventName = "BudgetWebhookFailed", Level = LogLevel.Warning, Message = "The budget alert webhook could not be reached ({Error}); retrying at the next watch")]
    public static partial void WebhookFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 4104, EventName = "UsageRolledUp", Level = LogLevel.Information, Message = "Usage rollup applied {Rows} ledger rows in {Batches} batches, up to {Checkpoint}")]
    public static partial void RollupApplied(ILogger logger, long rows, int batches, string checkpoint);
}
