using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Vigor.Tests.Llm;

/// <summary>
/// A loopback stand-in for the three vendor APIs, speaking their wire formats on Kestrel (127.0.0.1, port 0):
/// OpenAI <c>POST {base}/chat/completions</c> with <c>Authorization: Bearer</c> (any base path, so it also plays an
/// OpenAI-compatible server), Azure OpenAI <c>POST /openai/deployments/{deployment}/chat/completions?api-version=</c>
/// with <c>api-key</c> (or a bearer token), Anthropic <c>POST /v1/messages</c> with its key and <c>anthropic-version</c>.
/// A request with <c>"stream": true</c> is answered as an SSE stream (<see cref="FakeLlmStreams"/>).
/// <see cref="Fail"/> switches a fault on for the next N calls.
/// </summary>
internal sealed class FakeLlmServer : IAsyncDisposable
{
    public const string ApiKey = "sk-test-0123456789";
    public const string AzureToken = "fake-entra-token";
    public const string ReplyText = "Do 3 sets of 10 goblet squats, resting 90 s between sets.";
    public const int InputTokens = 42;
    public const int OutputTokens = 17;
    public const string AzureModel = "gpt-4o-2024-08-06";
    public static readonly TimeSpan HangTime = TimeSpan.FromSeconds(10);

    private readonly WebApplication app;
    private readonly ConcurrentQueue<FakeLlmRequest> requests = new();
    private readonly Lock gate = new();
    private FakeFault fault;
    private int faultsLeft;
    private int retryAfterSeconds = 1;
    private int calls;

    private FakeLlmServer(WebApplication app) => this.app = app;

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>The text the next successful replies carry (what the model "says").</summary>
    public string Reply { get; set; } = ReplyText;

    public int Calls => Volatile.Read(ref calls);

    public IReadOnlyList<FakeLlmRequest> Requests => [.. requests];

    public FakeLlmRequest LastRequest => requests.Last();

    public static async Task<FakeLlmServer> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeLlmServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.BaseUri = new Uri(address + "/");
        return server;
    }

    /// <summary>The next <paramref name="times"/> calls get <paramref name="kind"/>; a 429 says Retry-After <paramref name="retryAfterSeconds"/>.</summary>
    public void Fail(FakeFault kind, int times = int.MaxValue, int retryAfterSeconds = 1)
    {
        lock (gate)
        {
            fault = kind;
            faultsLeft = times;
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await app.StopAsync(stop.Token);
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref calls);
        var request = context.Request;
        var body = await JsonNode.ParseAsync(request.Body, cancellationToken: context.RequestAborted) as JsonObject ?? [];
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var path = request.Path.Value ?? "";
        requests.Enqueue(new FakeLlmRequest(request.Method, path, request.QueryString.Value ?? "", headers, body));

        var vendor = path.EndsWith("/v1/messages", StringComparison.Ordinal) ? FakeVendor.Anthropic
            : path.StartsWith("/openai/deployments/", StringComparison.Ordinal) && path.EndsWith("/chat/completions", StringComparison.Ordinal) ? FakeVendor.Azure
            : path.EndsWith("/chat/completions", StringComparison.Ordinal) ? FakeVendor.OpenAi
            : (FakeVendor?)null;
        if (vendor is not { } v || !HttpMethods.IsPost(request.Method))
        {
            await Json(context, 404, FakeLlmReplies.OpenAiError("invalid_request_error", "not_found", "Unknown route."));
            return;
        }
        if (!Authorized(v, headers))
        {
            await Json(context, 401, v == FakeVendor.Anthropic
                ? FakeLlmReplies.AnthropicError("authentication_error", "invalid x-api-key")
                : FakeLlmReplies.OpenAiError("invalid_request_error", "invalid_api_key", "Incorrect API key provided: sk-te***789."));
            return;
        }
        if (v == FakeVendor.Anthropic && !headers.ContainsKey("anthropic-version"))
        {
            await Json(context, 400, FakeLlmReplies.AnthropicError("invalid_request_error", "anthropic-version: header is required"));
            return;
        }
        await RespondAsync(context, v, body, NextFault());
    }

    private FakeFault NextFault()
    {
        lock (gate)
        {
            if (faultsLeft <= 0 || fault == FakeFault.None)
                return FakeFault.None;
            faultsLeft--;
            return fault;
        }
    }

    private static bool Authorized(FakeVendor vendor, Dictionary<string, string> headers)
    {
        var bearer = headers.GetValueOrDefault("Authorization");
        return vendor switch
        {
            FakeVendor.Azure => headers.GetValueOrDefault("api-key") == ApiKey || bearer == $"Bearer {AzureToken}",
            // The official C# SDK sends the key as a bearer token; the API also takes x-api-key.
            FakeVendor.Anthropic => headers.GetValueOrDefault("x-api-key") == ApiKey || bearer == $"Bearer {ApiKey}",
            _ => bearer == $"Bearer {ApiKey}",
        };
    }

    private async Task RespondAsync(HttpContext context, FakeVendor vendor, JsonObject request, FakeFault current)
    {
        var aborted = context.RequestAborted;
        var stream = request["stream"] is JsonValue flag && flag.TryGetValue<bool>(out var on) && on;
        if (!stream && current == FakeFault.ErrorEvent)
            current = FakeFault.ErrorBody;
        switch (current)
        {
            case FakeFault.RateLimited:
                context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Json(context, 429, Error(vendor, "rate_limit_error", "rate_limit_exceeded", "Rate limit reached."));
                return;
            case FakeFault.ServerError:
                await Json(context, 500, Error(vendor, "api_error", "server_error", "The server had an error."));
                return;
            case FakeFault.Unavailable:
                await Json(context, vendor == FakeVendor.Anthropic ? 529 : 503, Error(vendor, "overloaded_error", "service_unavailable", "Overloaded."));
                return;
            case FakeFault.BadRequest:
                await Json(context, 400, Error(vendor, "invalid_request_error", "invalid_value", "Invalid value for 'max_tokens'."));
                return;
            case FakeFault.ErrorBody:
                await Json(context, 200, Error(vendor, "api_error", "server_error", "Upstream failed, sent as 200."));
                return;
            case FakeFault.MalformedJson when !stream:
                await Raw(context, 200, """{"id":"chatcmpl-AB12","object":"chat.completion","choices":[{"index":0,""");
                return;
            case FakeFault.WrongShape when !stream:
                await Raw(context, 200, """{"id":"x","object":"chat.completion","type":"message","choices":"none","content":42,"usage":"lots"}""");
                return;
            case FakeFault.SlowFirstByte:
                await Task.Delay(HangTime, aborted);
                break;
        }

        var model = request["model"]?.GetValue<string>() ?? "unknown";
        var hitLimit = current == FakeFault.HitTokenLimit;
        var text = current switch
        {
            FakeFault.HitTokenLimit => """{"plan":[{"day":1,"exercises":["squat",""",
            FakeFault.NotJsonReply => "Sure! Here is your plan: squats on Monday.",
            _ => Reply,
        };
        var withUsage = current != FakeFault.NoUsage;
        var finishReason = vendor == FakeVendor.Anthropic ? (hitLimit ? "max_tokens" : "end_turn") : (hitLimit ? "length" : "stop");
        var replyModel = vendor switch { FakeVendor.Azure => AzureModel, FakeVendor.Anthropic => model, _ => $"{model}-2024-07-18" };
        if (stream)
        {
            // Like the real APIs: OpenAI and Azure send usage only when stream_options.include_usage asks; Anthropic always does.
            var askedForUsage = vendor == FakeVendor.Anthropic || request["stream_options"]?["include_usage"]?.GetValue<bool>() == true;
            await FakeLlmStreams.WriteAsync(context, vendor,
                new StreamReply(replyModel, text, finishReason, InputTokens, OutputTokens, withUsage && askedForUsage), current);
            return;
        }
        var reply = vendor == FakeVendor.Anthropic
            ? FakeLlmReplies.AnthropicMessage(replyModel, text, finishReason, InputTokens, OutputTokens, withUsage)
            : FakeLlmReplies.OpenAiCompletion(replyModel, text, finishReason,
                InputTokens, OutputTokens, withUsage, vendor == FakeVendor.Azure);
        var bytes = Encoding.UTF8.GetBytes(reply.ToJsonString());

        switch (current)
        {
            case FakeFault.TruncatedBody:
                context.Response.ContentType = "application/json";
                context.Response.ContentLength = bytes.Length;
                await context.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2), aborted);
                await context.Response.Body.FlushAsync(aborted);
                // Abort resets the connection, and a reset can discard bytes the client has not read yet: let the
                // headers and the first half land first, so the client sees a body cut short, not a failed request.
                await Task.Delay(TimeSpan.FromMilliseconds(200), aborted);
                context.Abort();
                return;
            case FakeFault.StallMidBody:
                context.Response.ContentType = "application/json";
                context.Response.ContentLength = bytes.Length;
                await context.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2), aborted);
                await context.Response.Body.FlushAsync(aborted);
                await Task.Delay(HangTime, aborted);
                await context.Response.Body.WriteAsync(bytes.AsMemory(bytes.Length / 2), aborted);
                return;
            case FakeFault.OversizedDeclared or FakeFault.OversizedChunked:
                await OversizedAsync(context, declareLength: current == FakeFault.OversizedDeclared);
                return;
            case FakeFault.SlowDrip:
                context.Response.ContentType = "application/json";
                context.Response.ContentLength = bytes.Length;
                await DripAsync(context.Response, bytes, aborted);
                return;
            default:
                await Raw(context, 200, bytes);
                return;
        }
    }

    /// <summary>Writes <paramref name="bytes"/> 8 at a time, 60 ms apart: never a stall, never done in time.</summary>
    public static async Task DripAsync(HttpResponse response, byte[] bytes, CancellationToken aborted)
    {
        for (var offset = 0; offset < bytes.Length; offset += 8)
        {
            await response.Body.WriteAsync(bytes.AsMemory(offset, Math.Min(8, bytes.Length - offset)), aborted);
            await response.Body.FlushAsync(aborted);
            await Task.Delay(TimeSpan.FromMilliseconds(60), aborted);
        }
    }

    /// <summary>5 MB of a valid-looking completion, padded inside a string; chunked (no Content-Length) or declared.</summary>
    private static async Task OversizedAsync(HttpContext context, bool declareLength)
    {
        const int total = 5 * 1024 * 1024;
        var head = """{"id":"chatcmpl-big","object":"chat.completion","padding":" """u8.ToArray();
        var tail = "\"}"u8.ToArray();
        var chunk = Enumerable.Repeat((byte)'a', 64 * 1024).ToArray();
        context.Response.ContentType = "application/json";
        if (declareLength)
            context.Response.ContentLength = total;
        try
        {
            await context.Response.Body.WriteAsync(head, context.RequestAborted);
            var written = head.Length;
            while (written < total - tail.Length)
            {
                var n = Math.Min(chunk.Length, total - tail.Length - written);
                await context.Response.Body.WriteAsync(chunk.AsMemory(0, n), context.RequestAborted);
                written += n;
            }
            await context.Response.Body.WriteAsync(tail, context.RequestAborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client hung up at its cap, as it should.
        }
    }

    private static JsonObject Error(FakeVendor vendor, string anthropicType, string openAiCode, string message) => vendor == FakeVendor.Anthropic
        ? FakeLlmReplies.AnthropicError(anthropicType, message)
        : FakeLlmReplies.OpenAiError(anthropicType switch
        {
            "invalid_request_error" => "invalid_request_error",
            "rate_limit_error" => "requests",
            _ => "server_error",
        }, openAiCode, message);

    private static Task Json(HttpContext context, int status, JsonObject body) => Raw(context, status, Encoding.UTF8.GetBytes(body.ToJsonString()));

    private static Task Raw(HttpContext context, int status, string body) => Raw(context, status, Encoding.UTF8.GetBytes(body));

    private static async Task Raw(HttpContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

}

/// <summary>What the fake received: enough to assert path, auth, model and parameters.</summary>
internal sealed record FakeLlmRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, JsonObject Body)
{
    public string? Header(string name) => Headers.GetValueOrDefault(name);
}
