using System.Text.RegularExpressions;

namespace Vigor.Core.Llm.Gateway;

/// <summary>The gateway's view of the provider layer: a provider row becomes a <see cref="ProviderConfig"/> and one guarded, retried SDK call.</summary>
internal sealed partial class ProviderModelClient(ProviderCaller caller) : IModelClient
{
    public async Task<ModelReply> CompleteAsync(
        ProviderRow provider, string? apiKey, IReadOnlyList<PromptMessage> messages, int maxOutputTokens, bool jsonOutput, CancellationToken ct)
    {
        var config = new ProviderConfig
        {
            Id = provider.Id,
            Name = provider.Name,
            Kind = provider.Kind,
            Endpoint = provider.Endpoint is { Length: > 0 } endpoint ? new Uri(endpoint) : null,
            Model = provider.Model,
            ApiVersion = provider.ApiVersion,
            UseManagedIdentity = provider.UseManagedIdentity,
            Timeout = TimeSpan.FromSeconds(provider.TimeoutSeconds),
            InputPricePerMillion = provider.InputPricePerMillion,
            OutputPricePerMillion = provider.OutputPricePerMillion,
        };
        var request = new LlmRequest([.. messages.Select(m => new LlmMessage(m.Role, m.Content))], maxOutputTokens, null, jsonOutput);
        var result = await caller.CallAsync(config, apiKey, request, ct);
        var latency = result.Attempts.Sum(a => a.LatencyMs);
        return result.Response is { } response
            ? new ModelReply(true, Outcomes.Ok, response.Text, response.InputTokens, response.OutputTokens, latency)
            : new ModelReply(false, SnakeCase(result.Failure!.Kind.ToString()), null,
                result.Attempts.Sum(a => a.InputTokens), result.Attempts.Sum(a => a.OutputTokens), latency);
    }

    private static string SnakeCase(string name) => Upper().Replace(name, "_$1").TrimStart('_').ToLowerInvariant();

    [GeneratedRegex("([A-Z])")]
    private static partial Regex Upper();
}
