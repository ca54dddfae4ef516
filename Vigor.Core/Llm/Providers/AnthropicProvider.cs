using Anthropic;
using Anthropic.Core;
using Anthropic.Models.Messages;

namespace Vigor.Core.Llm.Providers;

/// <summary>
/// Anthropic's Messages API through the official SDK. System turns go to the request's <c>system</c> field, the rest
/// stay in order as user/assistant messages. The SDK's Messages API takes no temperature, so
/// <see cref="LlmRequest.Temperature"/> is not sent; it has no JSON mode either, so JSON is asked for in the system
/// prompt and checked on arrival.
/// </summary>
internal sealed class AnthropicProvider(IHttpClientFactory httpClients, TimeProvider time) : ILlmProvider
{
    private readonly ProviderClientCache<AnthropicClient> clients = new();

    public string Kind => ProviderKinds.Anthropic;

    public async Task<LlmResponse> CompleteAsync(ProviderConfig config, string? apiKey, LlmRequest request, CancellationToken ct)
    {
        // Built before the attempt's clock starts: the SDK's first request object costs a cold process half a second.
        var parameters = Parameters(config, request);
        return await GuardedCall.RunAsync(config, time, token => SendAsync(Client(config, apiKey), config, parameters, request.JsonOutput, token), ct);
    }

    private static MessageCreateParams Parameters(ProviderConfig config, LlmRequest request)
    {
        var system = string.Join("\n\n", request.Messages.Where(m => m.Role == LlmRoles.System).Select(m => m.Content));
        if (request.JsonOutput)
            system = system.Length == 0 ? JsonReply.Instruction : $"{system}\n\n{JsonReply.Instruction}";
        var parameters = new MessageCreateParams
        {
            Model = config.Model,
            MaxTokens = request.MaxOutputTokens,
            Messages = request.Messages.Where(m => m.Role != LlmRoles.System).Select(ToMessageParam).ToList(),
        };
        return system.Length > 0 ? new MessageCreateParams(parameters) { System = system } : parameters;
    }

    private static async Task<LlmResponse> SendAsync(AnthropicClient client, ProviderConfig config, MessageCreateParams parameters, bool jsonOutput, CancellationToken ct)
    {
        var message = await client.Messages.Create(parameters, ct);

        var usage = message.Usage;
        // Anthropic's input_tokens leaves out prompt-cache writes and reads; the three together are the input it processed.
        var input = usage.InputTokens + (usage.CacheCreationInputTokens ?? 0) + (usage.CacheReadInputTokens ?? 0);
        var billed = new LlmUsage(checked((int)input), checked((int)usage.OutputTokens));
        var text = string.Concat(message.Content.Select(block => block.TryPickText(out var textBlock) ? textBlock.Text : ""));
        var stopReason = message.StopReason?.Raw();
        if (jsonOutput)
            text = JsonReply.Require(text, stopReason is "max_tokens" or "model_context_window_exceeded", billed, config.Name);
        var model = message.Model.Raw();
        return new LlmResponse(text, billed.InputTokens, billed.OutputTokens, string.IsNullOrEmpty(model) ? config.Model : model, stopReason);
    }

    private AnthropicClient Client(ProviderConfig config, string? apiKey)
    {
        if (string.IsNullOrEmpty(apiKey))
            // Never let the SDK fall back to ANTHROPIC_API_KEY or a profile on the machine.
            throw new LlmProviderException(LlmFailure.Unauthorized, $"{config.Name}: no API key is configured.");
        return clients.GetOrCreate(config, apiKey, () =>
        {
            var options = new ClientOptions
            {
                ApiKey = apiKey,
                HttpClient = httpClients.CreateClient(LlmHttp.ClientName),
                MaxRetries = 0,
                Timeout = LlmHttp.SdkTimeout,
                // Explicit options keep ANTHROPIC_OPEN_TELEMETRY_* variables from putting prompts on spans.
                OpenTelemetry = new OpenTelemetryOptions { Traces = new OpenTelemetryTraces { ContentMode = OpenTelemetryContentMode.MetadataOnly } },
            };
            if (config.Endpoint is { } endpoint)
                options.BaseUrl = endpoint.AbsoluteUri.TrimEnd('/');
            return new AnthropicClient(options);
        });
    }

    private static MessageParam ToMessageParam(LlmMessage message) => message.Role switch
    {
        LlmRoles.User => new UserMessageParam(message.Content),
        LlmRoles.Assistant => new AssistantMessageParam(message.Content),
        _ => throw new LlmProviderException(LlmFailure.BadRequest, $"Unknown message role '{message.Role}'."),
    };
}
