using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json.Nodes;

namespace Vigor.Core.Llm.Providers;

/// <summary>
/// OpenAI 2.1.0 sends <c>max_completion_tokens</c>, which OpenAI's own API wants but many OpenAI-compatible servers
/// (local model servers, some hosted ones) ignore or reject; <c>max_tokens</c> is the field they all read.
/// Used for <c>openai-compatible</c> only.
/// </summary>
internal sealed class MaxTokensFieldPolicy : PipelinePolicy
{
    public static readonly MaxTokensFieldPolicy Instance = new();

    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Rewrite(message);
        ProcessNext(message, pipeline, currentIndex);
    }

    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Rewrite(message);
        await ProcessNextAsync(message, pipeline, currentIndex);
    }

    private static void Rewrite(PipelineMessage message)
    {
        if (message.Request.Content is not { } content)
            return;
        using var buffer = new MemoryStream();
        content.WriteTo(buffer, message.CancellationToken);
        if (JsonNode.Parse(buffer.ToArray()) is not JsonObject body || body["max_completion_tokens"] is not { } limit)
            return;
        body.Remove("max_completion_tokens");
        body["max_tokens"] = limit;
        message.Request.Content = BinaryContent.Create(BinaryData.FromString(body.ToJsonString()));
        content.Dispose();
    }
}
