using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Vigor.Core.Llm;

namespace Vigor.Tests.Llm;

[TestClass]
public sealed class OpenAiProviderTests(TestContext testContext)
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
    public async Task CompleteAsync_ReturnsTextUsageAndModel_FromChatCompletion()
    {
        var config = LlmTestKit.Config(server, ProviderKinds.OpenAi);

        var response = await services.Provider(ProviderKinds.OpenAi).CompleteAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(), Ct);

        Assert.AreEqual(FakeLlmServer.ReplyText, response.Text);
        Assert.AreEqual(FakeLlmServer.InputTokens, response.InputTokens);
        Assert.AreEqual(FakeLlmServer.OutputTokens, response.OutputTokens);
        Assert.AreEqual("gpt-4o-mini-2024-07-18", response.Model);
        Assert.AreEqual("stop", response.FinishReason);
    }

    [TestMethod]
    public async Task CompleteAsync_SendsOpenAiRequest_WithBearerKeyModelAndLimits()
    {
        var config = LlmTestKit.Config(server, ProviderKinds.OpenAi);

        await services.Provider(ProviderKinds.OpenAi).CompleteAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(), Ct);

        var request = server.LastRequest;
        Assert.AreEqual("/v1/chat/completions", request.Path);
        Assert.AreEqual($"Bearer {FakeLlmServer.ApiKey}", request.Header("Authorization"));
        Assert.AreEqual("gpt-4o-mini", request.Body["model"]!.GetValue<string>());
        Assert.AreEqual(256, request.Body["max_completion_tokens"]!.GetValue<int>());
        Assert.AreEqual(0.3, request.Body["temperature"]!.GetValue<double>(), 1e-6);
        Assert.IsNull(request.Body["response_format"]);
        CollectionAssert.AreEqual(new[] { "system", "user" }, Roles(request.Body));
    }

    [TestMethod]
    public async Task CompleteAsync_RequestsJsonMode_AndReturnsJson_WhenJsonOutput()
    {
        server.Reply = """{"exercise":"goblet squat","sets":3}""";
        var config = LlmTestKit.Config(server, ProviderKinds.OpenAi);

        var response = await services.Provider(ProviderKinds.OpenAi).CompleteAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(json: true), Ct);

        Assert.AreEqual(server.Reply, response.Text);
        var body = server.LastRequest.Body;
        Assert.AreEqual("json_object", body["response_format"]!["type"]!.GetValue<string>());
        // JSON mode is refused unless a message says "JSON".
        Assert.IsTrue(body["messages"]!.AsArray().Any(m => m!["content"]!.GetValue<string>().Contains("JSON", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task CompleteAsync_UsesBasePathAndMaxTokens_ForOpenAiCompatible()
    {
        var config = LlmTestKit.Config(server, ProviderKinds.OpenAiCompatible);

        var response = await services.Provider(ProviderKinds.OpenAiCompatible).CompleteAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(), Ct);

        var request = server.LastRequest;
        Assert.AreEqual("/v1beta/openai/chat/completions", request.Path);
        Assert.AreEqual($"Bearer {FakeLlmServer.ApiKey}", request.Header("Authorization"));
        Assert.AreEqual("gemini-2.0-flash", request.Body["model"]!.GetValue<string>());
        Assert.AreEqual(256, request.Body["max_tokens"]!.GetValue<int>());
        Assert.IsNull(request.Body["max_completion_tokens"]);
        Assert.AreEqual(FakeLlmServer.InputTokens, response.InputTokens);
        Assert.AreEqual(FakeLlmServer.ReplyText, response.Text);
    }

    [TestMethod]
    public async Task CompleteAsync_FailsUnauthorized_WithoutCallingOpenAi_WhenKeyMissing()
    {
        var config = LlmTestKit.Config(server, ProviderKinds.OpenAi);

        var error = await Assert.ThrowsExactlyAsync<LlmProviderException>(
            () => services.Provider(ProviderKinds.OpenAi).CompleteAsync(config, null, LlmTestKit.Request(), Ct));

        Assert.AreEqual(LlmFailure.Unauthorized, error.Kind);
        Assert.AreEqual(0, server.Calls);
    }

    private static string[] Roles(JsonObject body) => [.. body["messages"]!.AsArray().Select(m => m!["role"]!.GetValue<string>())];
}
