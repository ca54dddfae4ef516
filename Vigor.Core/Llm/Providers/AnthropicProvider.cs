using System.Text.Json;
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

    public async Task<LlmResponse> StreamAsync(ProviderConfig config, string? apiKey, LlmRequest request, Action<string>? onDelta, CancellationToken ct)
    {
        var parameters = Parameters(config, request);
        return await GuardedCall.RunAsync(config, time, token => StreamAsync(Client(config, apiKey), config, parameters, request, onDelta, token), ct, streaming: true);
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

    /// <summary>
    /// Messages streaming: <c>message_start</c> carries the model and the input usage, <c>content_block_delta</c> the text,
    /// <c>message_delta</c> the stop reason and the (cumulative) output usage, <c>message_stop</c> the end. Usage is read
    /// from each event's JSON, so a usage the vendor left out is estimated rather than thrown over.
    /// </summary>
    private static async Task<LlmResponse> StreamAsync(
        AnthropicClient client, ProviderConfig config, MessageCreateParams parameters, LlmRequest request, Action<string>? onDelta, CancellationToken ct)
    {
        var reply = new StreamedReply(config, request, onDelta);
        var stopped = false;
        await foreach (var streamEvent in client.Messages.CreateStreaming(parameters, ct))
        {
            if (streamEvent.TryPickContentBlockDelta(out var block))
            {
                if (block.Delta.TryPickText(out var text))
                    reply.Append(text.Text);
            }
            else if (streamEvent.TryPickStart(out var start))
            {
                reply.Model = start.Message.Model.Raw();
                if (streamEvent.Json.TryGetProperty("message", out var message))
                    ReadUsage(message, reply, config);
            }
            else if (streamEvent.TryPickDelta(out var delta))
            {
                reply.FinishReason = delta.Delta.StopReason?.Raw();
                ReadUsage(streamEvent.Json, reply, config);
            }
            else if (streamEvent.TryPickStop(out _))
            {
                stopped = true;
            }
        }
        if (!stopped)
            throw new LlmProviderException(LlmFailure.Truncated, 200, null, $"{config.Name}'s stream ended without message_stop.");
        return reply.Finish(reply.FinishReason is "max_tokens" or "model_context_window_exceeded");
    }

    // Input as in SendAsync: input_tokens plus prompt-cache writes and reads. message_delta repeats the input counts (cumulative) on newer API versions; the latest report wins.
    private static void ReadUsage(JsonElement holder, StreamedReply reply, ProviderConfig config)
    {
        if (!holder.TryGetProperty("usage", out var usage) || usage.ValueKind == JsonValueKind.Null)
            return;
        if (usage.ValueKind != JsonValueKind.Object)
            throw new LlmProviderException(LlmFailure.Malformed, 200, null, $"{config.Name} sent a usage that is not an object.");
        if (Count(usage, "input_tokens", config) is { } input)
            reply.InputTokens = checked(input + (Count(usage, "cache_creation_input_tokens", config) ?? 0) + (Count(usage, "cache_read_input_tokens", config) ?? 0));
        if (Count(usage, "output_tokens", config) is { } output)
            reply.OutputTokens = output;
    }

    private static int? Count(JsonElement usage, string name, ProviderConfig config)
    {
        if (!usage.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var count) && count >= 0
            ? count
            : throw new LlmProviderException(LlmFailure.Malformed, 200, null, $"{config.Name} sent a {name} that is not a token count.");
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
