using OpenAI.Chat;

namespace Vigor.Core.Llm.Providers;

/// <summary>The chat-completions call and reply reading shared by OpenAI, OpenAI-compatible servers and Azure OpenAI.</summary>
internal static class OpenAiChat
{
    public sealed record Prepared(List<ChatMessage> Messages, ChatCompletionOptions Options);

    /// <summary>The SDK request for <paramref name="request"/>; built before the attempt's clock starts.</summary>
    public static Prepared Prepare(LlmRequest request)
    {
        var messages = new List<ChatMessage>(request.Messages.Count + 1);
        if (request.JsonOutput)
            // JSON mode is refused (400) unless the prompt itself says "JSON"; the instruction guarantees it does.
            messages.Add(new SystemChatMessage(JsonReply.Instruction));
        messages.AddRange(request.Messages.Select(ToChatMessage));
        var options = new ChatCompletionOptions
        {
            MaxOutputTokenCount = request.MaxOutputTokens,
            Temperature = (float?)request.Temperature,
        };
        if (request.JsonOutput)
            options.ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat();
        return new Prepared(messages, options);
    }

    public static async Task<LlmResponse> SendAsync(
        ChatClient client, ProviderConfig config, Prepared prepared, bool jsonOutput, CancellationToken ct)
    {
        ChatCompletion completion = await client.CompleteChatAsync(prepared.Messages, prepared.Options, ct);

        if (completion.Usage is not { } usage)
            throw new LlmProviderException(LlmFailure.Malformed, 200, null, $"{config.Name} reported no token usage.");
        var billed = new LlmUsage(usage.InputTokenCount, usage.OutputTokenCount);
        var text = string.Concat(completion.Content.Where(part => part.Kind == ChatMessageContentPartKind.Text).Select(part => part.Text));
        if (jsonOutput)
            text = JsonReply.Require(text, completion.FinishReason == ChatFinishReason.Length, billed, config.Name);
        return new LlmResponse(text, billed.InputTokens, billed.OutputTokens,
            string.IsNullOrEmpty(completion.Model) ? config.Model : completion.Model, WireName(completion.FinishReason));
    }

    /// <summary>
    /// The same call streamed. The SDK asks for <c>stream_options.include_usage</c> itself, so the last chunk before
    /// <c>[DONE]</c> carries usage with empty choices; Azure's first chunk carries only prompt filter results.
    /// </summary>
    public static async Task<LlmResponse> StreamAsync(
        ChatClient client, ProviderConfig config, Prepared prepared, LlmRequest request, Action<string>? onDelta, CancellationToken ct)
    {
        var reply = new StreamedReply(config, request, onDelta);
        var hitLimit = false;
        await foreach (var update in client.CompleteChatStreamingAsync(prepared.Messages, prepared.Options, ct))
        {
            if (string.IsNullOrEmpty(reply.Model) && !string.IsNullOrEmpty(update.Model))
                reply.Model = update.Model;
            foreach (var part in update.ContentUpdate.Where(part => part.Kind == ChatMessageContentPartKind.Text))
                reply.Append(part.Text);
            if (update.FinishReason is { } finish)
            {
                reply.FinishReason = WireName(finish);
                hitLimit = finish == ChatFinishReason.Length;
            }
            if (update.Usage is { } usage)
            {
                reply.InputTokens = usage.InputTokenCount;
                reply.OutputTokens = usage.OutputTokenCount;
            }
        }
        return reply.Finish(hitLimit);
    }

    private static ChatMessage ToChatMessage(LlmMessage message) => message.Role switch
    {
        LlmRoles.System => new SystemChatMessage(message.Content),
        LlmRoles.User => new UserChatMessage(message.Content),
        LlmRoles.Assistant => new AssistantChatMessage(message.Content),
        _ => throw new LlmProviderException(LlmFailure.BadRequest, $"Unknown message role '{message.Role}'."),
    };

    // The SDK turns finish_reason into an enum; the ledger keeps the vendor's word.
    private static string WireName(ChatFinishReason reason) => reason switch
    {
        ChatFinishReason.Stop => "stop",
        ChatFinishReason.Length => "length",
        ChatFinishReason.ContentFilter => "content_filter",
        ChatFinishReason.ToolCalls => "tool_calls",
        ChatFinishReason.FunctionCall => "function_call",
        _ => reason.ToString(),
    };
}
