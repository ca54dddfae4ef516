using System.Text.Json.Nodes;

namespace Vigor.Tests.Llm;

/// <summary>Response bodies in each vendor's real wire format (as documented and as the SDKs parse them).</summary>
internal static class FakeLlmReplies
{
    public static JsonObject OpenAiCompletion(string model, string text, string finishReason, int inputTokens, int outputTokens, bool withUsage, bool azure)
    {
        var reply = new JsonObject
        {
            ["id"] = "chatcmpl-AB12cd34",
            ["object"] = "chat.completion",
            ["created"] = 1_735_689_600,
            ["model"] = model,
            ["system_fingerprint"] = "fp_0ba0d124f1",
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text, ["refusal"] = null },
                ["logprobs"] = null,
                ["finish_reason"] = finishReason,
            }),
        };
        if (withUsage)
        {
            reply["usage"] = new JsonObject
            {
                ["prompt_tokens"] = inputTokens,
                ["completion_tokens"] = outputTokens,
                ["total_tokens"] = inputTokens + outputTokens,
                ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = 0 },
                ["completion_tokens_details"] = new JsonObject { ["reasoning_tokens"] = 0 },
            };
        }
        if (azure)
        {
            reply["prompt_filter_results"] = new JsonArray(new JsonObject { ["prompt_index"] = 0, ["content_filter_results"] = SafeFilters() });
            ((JsonObject)reply["choices"]![0]!)["content_filter_results"] = SafeFilters();
        }
        return reply;
    }

    public static JsonObject AnthropicMessage(string model, string text, string stopReason, int inputTokens, int outputTokens, bool withUsage)
    {
        var reply = new JsonObject
        {
            ["id"] = "msg_01XFDUDYJgAACzvnptvVoYEL",
            ["type"] = "message",
            ["role"] = "assistant",
            ["model"] = model,
            ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = text }),
            ["stop_reason"] = stopReason,
            ["stop_sequence"] = null,
        };
        if (withUsage)
        {
            reply["usage"] = new JsonObject
            {
                ["input_tokens"] = inputTokens,
                ["output_tokens"] = outputTokens,
                ["cache_creation_input_tokens"] = 0,
                ["cache_read_input_tokens"] = 0,
                ["service_tier"] = "standard",
            };
        }
        return reply;
    }

    /// <summary>OpenAI and Azure: <c>{"error":{message,type,param,code}}</c>.</summary>
    public static JsonObject OpenAiError(string type, string code, string message) => new()
    {
        ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = null, ["code"] = code },
    };

    /// <summary>Anthropic: <c>{"type":"error","error":{type,message},"request_id"}</c>.</summary>
    public static JsonObject AnthropicError(string type, string message) => new()
    {
        ["type"] = "error",
        ["error"] = new JsonObject { ["type"] = type, ["message"] = message },
        ["request_id"] = "req_011CSHoEeqs5C35K2UUqR7Fy",
    };

    public static JsonObject SafeFilters()
    {
        var filters = new JsonObject();
        foreach (var category in (string[])["hate", "self_harm", "sexual", "violence"])
            filters[category] = new JsonObject { ["filtered"] = false, ["severity"] = "safe" };
        return filters;
    }
}
