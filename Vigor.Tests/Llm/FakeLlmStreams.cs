using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Vigor.Tests.Llm;

/// <summary>
/// <see cref="FakeLlmServer"/>'s answers to <c>"stream": true</c>, in each vendor's SSE wire format. OpenAI and Azure:
/// <c>data: {chat.completion.chunk}</c> events (Azure's first one carrying only prompt filter results), a last chunk
/// with empty choices and the usage when <c>stream_options.include_usage</c> was sent, then <c>data: [DONE]</c>.
/// Anthropic: <c>message_start</c> (input usage), <c>content_block_start</c>, <c>ping</c>, <c>content_block_delta</c>s,
/// <c>content_block_stop</c>, <c>message_delta</c> (stop reason, output usage), <c>message_stop</c>. Faults break the
/// stream the ways real ones break.
/// </summary>
internal static partial class FakeLlmStreams
{
    /// <summary>Text pieces sent before a stall, a dropped connection, an error event or a broken event.</summary>
    public const int PiecesBeforeFault = 2;

    public const string OpenAiStreamError = "The server had an error while processing your request. Sorry about that!";
    public const string AnthropicStreamError = "Overloaded";

    public static async Task WriteAsync(HttpContext context, FakeVendor vendor, StreamReply reply, FakeFault fault)
    {
        var response = context.Response;
        var aborted = context.RequestAborted;
        response.StatusCode = 200;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        if (fault is FakeFault.OversizedChunked or FakeFault.OversizedDeclared)
        {
            await OversizedAsync(context, vendor, reply, declareLength: fault == FakeFault.OversizedDeclared);
            return;
        }

        // The opening events (Azure's filter results, the role chunk; message_start, content_block_start, ping), then the pieces.
        var faultAt = PiecesBeforeFault + vendor switch { FakeVendor.Anthropic => 3, FakeVendor.Azure => 2, _ => 1 };
        var events = vendor == FakeVendor.Anthropic ? AnthropicEvents(reply, fault, faultAt) : OpenAiEvents(reply, vendor == FakeVendor.Azure, fault, faultAt);
        if (fault == FakeFault.NoTerminalEvent)
            events.RemoveAt(events.Count - 1);
        if (fault == FakeFault.ErrorEvent)
            events = [.. events.Take(faultAt), ErrorEvent(vendor)];

        for (var i = 0; i < events.Count; i++)
        {
            if (i == faultAt && fault is FakeFault.StallMidBody or FakeFault.TruncatedBody)
            {
                await response.Body.FlushAsync(aborted);
                await Task.Delay(fault == FakeFault.StallMidBody ? FakeLlmServer.HangTime : TimeSpan.FromMilliseconds(200), aborted);
                if (fault == FakeFault.TruncatedBody)
                {
                    context.Abort();
                    return;
                }
            }
            var bytes = Encoding.UTF8.GetBytes(events[i]);
            if (fault == FakeFault.SlowDrip)
                await FakeLlmServer.DripAsync(response, bytes, aborted);
            else
                await response.Body.WriteAsync(bytes, aborted);
            await response.Body.FlushAsync(aborted);
        }
    }

    /// <summary>The reply cut where a model would send its tokens: each word with the spaces after it.</summary>
    public static string[] Pieces(string text) => [.. Words().Matches(text).Select(m => m.Value)];

    private static List<string> OpenAiEvents(StreamReply reply, bool azure, FakeFault fault, int faultAt)
    {
        var events = new List<string>();
        if (azure)
            events.Add(Data(new JsonObject
            {
                ["choices"] = new JsonArray(), ["created"] = 0, ["id"] = "", ["model"] = "", ["object"] = "",
                ["prompt_filter_results"] = new JsonArray(new JsonObject { ["prompt_index"] = 0, ["content_filter_results"] = FakeLlmReplies.SafeFilters() }),
            }));
        events.Add(Data(Chunk(reply, azure, new JsonObject { ["role"] = "assistant", ["content"] = "", ["refusal"] = null }, null)));
        foreach (var piece in Pieces(reply.Text))
            events.Add(Data(Chunk(reply, azure, new JsonObject { ["content"] = piece }, null)));
        if (fault == FakeFault.MalformedJson)
            events.Insert(faultAt, "data: {\"id\":\"chatcmpl-AB12cd34\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\n\n");
        if (fault == FakeFault.WrongShape)
            events.Insert(faultAt, Data(new JsonObject { ["id"] = "x", ["object"] = "chat.completion.chunk", ["choices"] = "none", ["usage"] = "lots" }));
        events.Add(Data(Chunk(reply, azure, [], reply.FinishReason)));
        if (reply.WithUsage)
        {
            var usage = Chunk(reply, azure: false, null, null);
            usage["usage"] = new JsonObject
            {
                ["prompt_tokens"] = reply.InputTokens, ["completion_tokens"] = reply.OutputTokens, ["total_tokens"] = reply.InputTokens + reply.OutputTokens,
                ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = 0 },
                ["completion_tokens_details"] = new JsonObject { ["reasoning_tokens"] = 0 },
            };
            events.Add(Data(usage));
        }
        events.Add("data: [DONE]\n\n");
        return events;
    }

    private static JsonObject Chunk(StreamReply reply, bool azure, JsonObject? delta, string? finishReason)
    {
        var chunk = new JsonObject
        {
            ["id"] = "chatcmpl-AB12cd34", ["object"] = "chat.completion.chunk", ["created"] = 1_735_689_600, ["model"] = reply.Model,
            ["system_fingerprint"] = "fp_0ba0d124f1",
            ["choices"] = delta is null ? new JsonArray() : new JsonArray(new JsonObject
            {
                ["index"] = 0, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finishReason,
            }),
        };
        if (azure)
            ((JsonObject)chunk["choices"]![0]!)["content_filter_results"] = finishReason is null ? FakeLlmReplies.SafeFilters() : new JsonObject();
        // With include_usage every chunk says "usage": null until the last one.
        if (reply.WithUsage)
            chunk["usage"] = null;
        return chunk;
    }

    private static List<string> AnthropicEvents(StreamReply reply, FakeFault fault, int faultAt)
    {
        var message = new JsonObject
        {
            ["id"] = "msg_01XFDUDYJgAACzvnptvVoYEL", ["type"] = "message", ["role"] = "assistant", ["content"] = new JsonArray(), ["model"] = reply.Model,
            ["stop_reason"] = null, ["stop_sequence"] = null,
        };
        if (reply.WithUsage)
            message["usage"] = new JsonObject
            {
                ["input_tokens"] = reply.InputTokens, ["cache_creation_input_tokens"] = 0, ["cache_read_input_tokens"] = 0, ["output_tokens"] = 1,
                ["service_tier"] = "standard",
            };
        if (fault == FakeFault.WrongShape)
            message["usage"] = "lots";
        var events = new List<string>
        {
            Event("message_start", new JsonObject { ["type"] = "message_start", ["message"] = message }),
            Event("content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = 0, ["content_block"] = new JsonObject { ["type"] = "text", ["text"] = "" } }),
            Event("ping", new JsonObject { ["type"] = "ping" }),
        };
        foreach (var piece in Pieces(reply.Text))
            events.Add(Event("content_block_delta", new JsonObject
            {
                ["type"] = "content_block_delta", ["index"] = 0, ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = piece },
            }));
        if (fault == FakeFault.MalformedJson)
            events.Insert(faultAt, "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_de\n\n");
        events.Add(Event("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = 0 }));
        var messageDelta = new JsonObject { ["type"] = "message_delta", ["delta"] = new JsonObject { ["stop_reason"] = reply.FinishReason, ["stop_sequence"] = null } };
        if (reply.WithUsage)
            messageDelta["usage"] = new JsonObject { ["output_tokens"] = reply.OutputTokens };
        events.Add(Event("message_delta", messageDelta));
        events.Add(Event("message_stop", new JsonObject { ["type"] = "message_stop" }));
        return events;
    }

    private static string ErrorEvent(FakeVendor vendor) => vendor == FakeVendor.Anthropic
        ? Event("error", FakeLlmReplies.AnthropicError("overloaded_error", AnthropicStreamError))
        : Data(new JsonObject { ["error"] = new JsonObject { ["message"] = OpenAiStreamError, ["type"] = "server_error", ["param"] = null, ["code"] = null } });

    /// <summary>Text events of 16 KB each, on and on (5 MB), until the client hangs up at its cap.</summary>
    private static async Task OversizedAsync(HttpContext context, FakeVendor vendor, StreamReply reply, bool declareLength)
    {
        const int total = 5 * 1024 * 1024;
        var filler = new string('a', 16 * 1024);
        var one = Encoding.UTF8.GetBytes(vendor == FakeVendor.Anthropic
            ? Event("content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = 0, ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = filler } })
            : Data(Chunk(reply, azure: false, new JsonObject { ["content"] = filler }, null)));
        if (declareLength)
            context.Response.ContentLength = total / one.Length * one.Length;
        try
        {
            for (var written = 0; written + one.Length <= total; written += one.Length)
                await context.Response.Body.WriteAsync(one, context.RequestAborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client hung up at its cap, as it should.
        }
    }

    private static string Data(JsonObject body) => $"data: {body.ToJsonString()}\n\n";

    private static string Event(string name, JsonObject body) => $"event: {name}\ndata: {body.ToJsonString()}\n\n";

    [GeneratedRegex(@"\S+\s*|\s+")]
    private static partial Regex Words();
}

/// <summary>What a streamed answer says; <see cref="WithUsage"/> is false when the client did not ask for usage, or a fault drops it.</summary>
internal sealed record StreamReply(string Model, string Text, string FinishReason, int InputTokens, int OutputTokens, bool WithUsage);

internal enum FakeVendor
{
    OpenAi,
    Azure,
    Anthropic,
}
