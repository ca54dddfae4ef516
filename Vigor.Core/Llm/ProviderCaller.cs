using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Vigor.Core.Llm;

/// <summary>
/// Runs one provider for one call: the first attempt, then up to <see cref="LlmRetryOptions.MaxRetries"/> retries for
/// transient failures only (429, 5xx, timeouts, stalls), with exponential backoff and jitter. A Retry-After up to
/// <see cref="LlmRetryOptions.MaxRetryAfter"/> is waited out; a longer one ends the call at once, so the orchestrator
/// can move to the next provider instead of sitting in a vendor's queue. Never throws for a provider failure or a
/// cancellation: the result says what happened, attempt by attempt, for the ledger. With <see cref="ProviderConfig.Streaming"/>
/// each attempt is the vendor's SSE stream; <c>onDelta</c> sees its text as it arrives, tagged with the attempt number,
/// while the result only ever holds the one attempt that finished (a retry never appends to a half answer).
/// </summary>
internal sealed class ProviderCaller(LlmProviderRegistry registry, IOptions<LlmRetryOptions> options, TimeProvider time, ILogger<ProviderCaller> logger)
{
    public async Task<ProviderCallResult> CallAsync(
        ProviderConfig config, string? apiKey, LlmRequest request, CancellationToken ct, Action<LlmDelta>? onDelta = null)
    {
        var settings = options.Value;
        var attempts = new List<LlmAttempt>();
        if (!registry.TryGet(config.Kind, out var provider))
        {
            var unknown = new LlmProviderException(LlmFailure.BadRequest, $"No LLM provider is registered for kind '{config.Kind}'.");
            attempts.Add(new LlmAttempt(config.Id, 1, unknown.Kind, null, 0, 0, 0, 0m, null));
            return Result(null, unknown, attempts);
        }

        for (var number = 1; ; number++)
        {
            var started = time.GetTimestamp();
            LlmProviderException failure;
            try
            {
                var response = await AttemptAsync(provider, config, apiKey, request, number, onDelta, ct);
                attempts.Add(new LlmAttempt(config.Id, number, null, 200, Elapsed(started), response.InputTokens, response.OutputTokens,
                    CostCalculator.Cost(config, response.InputTokens, response.OutputTokens), null, response.UsageEstimated));
                return Result(response, null, attempts);
            }
            catch (LlmProviderException ex)
            {
                failure = ex;
            }
            catch (OperationCanceledException ex) when (ct.IsCancellationRequested)
            {
                failure = new LlmProviderException(LlmFailure.Cancelled, "The call was cancelled by the caller.", ex);
            }

            var billed = failure.BilledUsage ?? default;
            attempts.Add(new LlmAttempt(config.Id, number, failure.Kind, failure.StatusCode, Elapsed(started), billed.InputTokens, billed.OutputTokens,
                CostCalculator.Cost(config, billed.InputTokens, billed.OutputTokens), failure.RetryAfter));
            LlmLog.AttemptFailed(logger, number, config.Name, config.Id, failure.Kind, failure.StatusCode, Elapsed(started));

            if (!failure.IsTransient || number > settings.MaxRetries)
                return Result(null, failure, attempts);

            var delay = Backoff(settings.BaseDelay, number);
            if (failure.RetryAfter is { } retryAfter)
            {
                if (retryAfter > settings.MaxRetryAfter)
                {
                    LlmLog.RetryAfterTooLong(logger, config.Name, config.Id, (long)retryAfter.TotalMilliseconds, (long)settings.MaxRetryAfter.TotalMilliseconds);
                    return Result(null, failure, attempts);
                }
                delay = retryAfter > delay ? retryAfter : delay;
            }

            LlmLog.Retrying(logger, config.Name, config.Id, (long)delay.TotalMilliseconds);
            try
            {
                await Task.Delay(delay, time, ct);
            }
            catch (OperationCanceledException ex)
            {
                return Result(null, new LlmProviderException(LlmFailure.Cancelled, "The call was cancelled by the caller.", ex), attempts);
            }
        }
    }

    private static async Task<LlmResponse> AttemptAsync(
        ILlmProvider provider, ProviderConfig config, string? apiKey, LlmRequest request, int number, Action<LlmDelta>? onDelta, CancellationToken ct)
    {
        if (config.Streaming)
            return await provider.StreamAsync(config, apiKey, request, onDelta is null ? null : text => onDelta(new LlmDelta(number, text)), ct);
        var response = await provider.CompleteAsync(config, apiKey, request, ct);
        onDelta?.Invoke(new LlmDelta(number, response.Text));
        return response;
    }

    /// <summary>"Equal jitter": between half and all of base × 2^(retry − 1), so retries spread out but never bunch at zero.</summary>
    internal static TimeSpan Backoff(TimeSpan baseDelay, int retry)
    {
        var ceiling = baseDelay.TotalMilliseconds * Math.Pow(2, retry - 1);
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (Random.Shared.NextDouble() * 0.5)));
    }

    // Milliseconds to the microsecond: a local model or a fake answers in well under one.
    private double Elapsed(long started) => Math.Round(time.GetElapsedTime(started).TotalMilliseconds, 3);

    private static ProviderCallResult Result(LlmResponse? response, LlmProviderException? failure, List<LlmAttempt> attempts)
        => new(response, failure, attempts, attempts.Sum(a => a.Cost));
}
