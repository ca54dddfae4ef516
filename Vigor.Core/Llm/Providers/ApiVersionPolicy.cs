using System.ClientModel.Primitives;
using System.Web;

namespace Vigor.Core.Llm.Providers;

/// <summary>
/// Azure.AI.OpenAI 2.1.0 only names the api-versions 2024-06-01 and 2024-10-21; this sends a configured other one
/// (a newer GA or preview version) by rewriting the query string the SDK built.
/// </summary>
internal sealed class ApiVersionPolicy(string apiVersion) : PipelinePolicy
{
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

    private void Rewrite(PipelineMessage message)
    {
        if (message.Request.Uri is not { } uri)
            return;
        var query = HttpUtility.ParseQueryString(uri.Query);
        query["api-version"] = apiVersion;
        message.Request.Uri = new UriBuilder(uri) { Query = query.ToString() }.Uri;
    }
}
