using Microsoft.Extensions.DependencyInjection;
using Vigor.Core.Llm;

namespace Vigor.Tests.Llm;

/// <summary>Each vendor's SSE stream, through its real SDK: text, usage, model and finish reason read exactly.</summary>
[TestClass]
public sealed class ProviderStreamingTests(TestContext testContext)
{
    private FakeLlmServer server = null!;
    private ServiceProvider services = null!;

    private CancellationToken Ct => testContext.CancellationToken;

    [TestInitialize]
    public async Task Start()
    {
        server = await FakeLlmServer.StartAsync();
        services = LlmTestKit.Services();
    }

    [TestCleanup]
    public async Task Stop()
    {
        await services.DisposeAsync();
        await server.DisposeAsync();
    }

    [TestMethod]
    [DataRow(ProviderKinds.OpenAi, "gpt-4o-mini-2024-07-18", "stop")]
    [DataRow(ProviderKinds.OpenAiCompatible, "gemini-2.0-flash-2024-07-18", "stop")]
    [DataRow(ProviderKinds.AzureOpenAi, FakeLlmServer.AzureModel, "stop")]
    [DataRow(ProviderKinds.Anthropic, "claude-sonnet-4-5", "end_turn")]
    public async Task StreamAsync_ReturnsTextUsageModelAndFinish_FromStream(string kind, string model, string finish)
    {
        var config = LlmTestKit.Config(server, kind);
        var deltas = new List<string>();

        var response = await services.Provider(kind).StreamAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(), deltas.Add, Ct);

        Assert.AreEqual(FakeLlmServer.ReplyText, response.Text);
        CollectionAssert.AreEqual(FakeLlmStreams.Pieces(FakeLlmServer.ReplyText), deltas, "each piece handed on as it arrived, in order");
        Assert.AreEqual((FakeLlmServer.InputTokens, FakeLlmServer.OutputTokens, false), (response.InputTokens, response.OutputTokens, response.UsageEstimated));
        Assert.AreEqual(model, response.Model);
        Assert.AreEqual(finish, response.FinishReason);
        Assert.IsTrue(server.LastRequest.Body["stream"]!.GetValue<bool>());
    }

    [TestMethod]
    [DataRow(ProviderKinds.OpenAi, "/v1/chat/completions")]
    [DataRow(ProviderKinds.OpenAiCompatible, "/v1beta/openai/chat/completions")]
    [DataRow(ProviderKinds.AzureOpenAi, "/openai/deployments/vigor-gpt4o/chat/completions")]
    public async Task StreamAsync_AsksForUsageInTheStream_ForOpenAiWire(string kind, string path)
    {
        var config = LlmTestKit.Config(server, kind);

        await services.Provider(kind).StreamAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(), null, Ct);

        var sent = server.LastRequest;
        Assert.AreEqual(path, sent.Path);
        Assert.IsTrue(sent.Body["stream_options"]!["include_usage"]!.GetValue<bool>());
        Assert.AreEqual(256, (sent.Body["max_tokens"] ?? sent.Body["max_completion_tokens"])!.GetValue<int>());
    }

    [TestMethod]
    [DataRow(ProviderKinds.OpenAi)]
    [DataRow(ProviderKinds.AzureOpenAi)]
    [DataRow(ProviderKinds.Anthropic)]
    public async Task StreamAsync_EstimatesAndMarksUsage_WhenStreamReportsNone(string kind)
    {
        server.Fail(FakeFault.NoUsage);
        var config = LlmTestKit.Config(server, kind);
        var request = LlmTestKit.Request();

        var response = await services.Provider(kind).StreamAsync(config, FakeLlmServer.ApiKey, request, null, Ct);

        Assert.IsTrue(response.UsageEstimated);
        Assert.AreEqual(CostCalculator.EstimateInputTokens(request), response.InputTokens);
        Assert.AreEqual((FakeLlmServer.ReplyText.Length + 3) / 4, response.OutputTokens);
        Assert.AreEqual(FakeLlmServer.ReplyText, response.Text);
    }

    [TestMethod]
    [DataRow(ProviderKinds.OpenAi)]
    [DataRow(ProviderKinds.Anthropic)]
    public async Task StreamAsync_ReturnsCleanJson_WhenJsonOutput(string kind)
    {
        server.Reply = "```json\n{\"exercise\":\"lunge\",\"sets\":3}\n```";
        var config = LlmTestKit.Config(server, kind);

        var response = await services.Provider(kind).StreamAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(json: true), null, Ct);

        Assert.AreEqual("""{"exercise":"lunge","sets":3}""", response.Text);
    }

    [TestMethod]
    [DataRow(ProviderKinds.OpenAi)]
    [DataRow(ProviderKinds.AzureOpenAi)]
    [DataRow(ProviderKinds.Anthropic)]
    public async Task StreamAsync_FailsTruncatedWithBilledUsage_WhenJsonCutAtLimit(string kind)
    {
        server.Fail(FakeFault.HitTokenLimit);
        var config = LlmTestKit.Config(server, kind);

        var error = await Assert.ThrowsExactlyAsync<LlmProviderException>(
            () => services.Provider(kind).StreamAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(json: true), null, Ct));

        Assert.AreEqual(LlmFailure.Truncated, error.Kind);
        Assert.AreEqual(new LlmUsage(FakeLlmServer.InputTokens, FakeLlmServer.OutputTokens), error.BilledUsage);
    }
}
