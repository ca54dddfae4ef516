using System.ClientModel;
using System.Text.Json;
using Anthropic.Exceptions;
using Azure.Identity;

namespace Vigor.Core.Llm.Providers;

/// <summary>Turns whatever an SDK threw into one <see cref="LlmProviderException"/>, trusting the transport's record first.</summary>
internal static class ProviderErrors
{
    public static LlmProviderException FromStatus(int status, TimeSpan? retryAfter, string? vendorCode, string providerName)
    {
        var kind = status switch
        {
            429 => LlmFailure.RateLimited,
            408 => LlmFailure.Timeout,
            401 or 402 or 403 => LlmFailure.Unauthorized,
            >= 500 => LlmFailure.ServerError,
            _ => LlmFailure.BadRequest,
        };
        var code = vendorCode is null ? "" : $" ({vendorCode})";
        return new LlmProviderException(kind, status, retryAfter, $"{providerName} answered HTTP {status}{code}.");
    }

    public static LlmProviderException Map(Exception exception, LlmCallScope scope, ProviderConfig config, CancellationToken callerToken)
    {
        if (callerToken.IsCancellationRequested)
            return new LlmProviderException(LlmFailure.Cancelled, "The call was cancelled by the caller.", exception);
        if (scope.Failure is { } recorded)
            return recorded;
        if (exception is LlmProviderException classified)
            return classified;
        if (scope.Deadline.IsCancellationRequested)
            return new LlmProviderException(LlmFailure.Timeout, scope.StatusCode, scope.RetryAfter,
                $"{config.Name} did not finish within the {config.Timeout.TotalSeconds:0.###} s timeout.", exception);

        var status = scope.StatusCode ?? exception switch
        {
            ClientResultException { Status: > 0 } result => result.Status,
            AnthropicApiException api => (int)api.StatusCode,
            _ => (int?)null,
        };
        if (exception is AnthropicSseException)
            // SseGuardStream fails on error events first; this is the SDK's own account, should one slip past.
            return new LlmProviderException(LlmFailure.ErrorBody, status, null, $"{config.Name} sent an error event mid-stream.", exception);
        if (status is >= 200 and < 300 && scope.ReplyReceived)
            // The transport saw a well-formed JSON object, so the SDK failed on its shape.
            return new LlmProviderException(LlmFailure.Malformed, status, null, $"{config.Name} sent a reply the SDK could not read ({exception.GetType().Name}).", exception);
        if (status is { } failed and not (>= 200 and < 300))
            return FromStatus(failed, scope.RetryAfter, scope.VendorErrorCode, config.Name);

        return exception switch
        {
            AuthenticationFailedException or CredentialUnavailableException
                => new LlmProviderException(LlmFailure.Unauthorized, $"No Azure token for {config.Name} ({exception.GetType().Name}).", exception),
            JsonException or AnthropicInvalidDataException
                => new LlmProviderException(LlmFailure.Malformed, status, null, $"{config.Name} sent a reply that is not valid JSON.", exception),
            OperationCanceledException or TimeoutException
                => new LlmProviderException(LlmFailure.Timeout, $"{config.Name} timed out in the SDK ({exception.GetType().Name}).", exception),
            HttpRequestException or ClientResultException or AnthropicIOException
                => new LlmProviderException(LlmFailure.ServerError, $"{config.Name} could not be reached ({exception.GetType().Name}).", exception),
            _ => new LlmProviderException(LlmFailure.BadRequest, $"{config.Name} rejected the call before sending it ({exception.GetType().Name}).", exception),
        };
    }
}
