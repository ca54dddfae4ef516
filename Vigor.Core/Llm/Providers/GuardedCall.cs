namespace Vigor.Core.Llm.Providers;

/// <summary>The frame every provider runs its SDK call in: the attempt's deadline, its transport scope and one error mapping.</summary>
internal static class GuardedCall
{
    public static async Task<LlmResponse> RunAsync(
        ProviderConfig config, TimeProvider time, Func<CancellationToken, Task<LlmResponse>> call, CancellationToken ct, bool streaming = false)
    {
        if (ct.IsCancellationRequested)
            throw new LlmProviderException(LlmFailure.Cancelled, "The call was cancelled by the caller.");
        if (config.Timeout <= TimeSpan.Zero || config.StallTimeout <= TimeSpan.Zero || config.MaxResponseBytes <= 0
            || (streaming && config.FirstTokenTimeout <= TimeSpan.Zero))
            throw new LlmProviderException(LlmFailure.BadRequest, $"{config.Name}: Timeout, StallTimeout, FirstTokenTimeout and MaxResponseBytes must be positive.");
        using var deadline = new CancellationTokenSource(config.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        using var scope = LlmCallScope.Begin(TransportLimits.From(config), deadline.Token, streaming);
        try
        {
            return await call(linked.Token);
        }
        catch (Exception ex)
        {
            throw ProviderErrors.Map(ex, scope, config, ct);
        }
    }
}
