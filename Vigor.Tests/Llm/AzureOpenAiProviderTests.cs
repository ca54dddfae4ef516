using Microsoft.Extensions.DependencyInjection;
using Vigor.Core.Llm;

namespace Vigor.Tests.Llm;

[TestClass]
public sealed class AzureOpenAiProviderTests(TestContext testContext)
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
    public async Task CompleteAsync_CallsDeploymentWithApiKey_AndReturnsUsage()
    {
        var config = LlmTestKit.Config(server, ProviderKinds.AzureOpenAi);

        var response = await services.Provider(ProviderKinds.AzureOpenAi).CompleteAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(json: false), Ct);

        var request = server.LastRequest;
        Assert.AreEqual("/openai/deployments/vigor-gpt4o/chat/completions", request.Path);
        Assert.AreEqual("?api-version=2024-10-21", request.Query);
        Assert.AreEqual(FakeLlmServer.ApiKey, request.Header("api-key"));
        Assert.IsNull(request.Header("Authorization"));
        Assert.AreEqual(256, request.Body["max_tokens"]!.GetValue<int>());
        Assert.AreEqual(FakeLlmServer.ReplyText, response.Text);
        Assert.AreEqual(FakeLlmServer.InputTokens, response.InputTokens);
        Assert.AreEqual(FakeLlmServer.OutputTokens, response.OutputTokens);
        Assert.AreEqual(FakeLlmServer.AzureModel, response.Model);
    }

    [TestMethod]
    public async Task CompleteAsync_SendsBearerToken_WhenManagedIdentity()
    {
        var config = LlmTestKit.Config(server, ProviderKinds.AzureOpenAi) with { UseManagedIdentity = true };

        var response = await services.Provider(ProviderKinds.AzureOpenAi).CompleteAsync(config, apiKey: null, LlmTestKit.Request(), Ct);

        var request = server.LastRequest;
        Assert.AreEqual($"Bearer {FakeLlmServer.AzureToken}", request.Header("Authorization"));
        Assert.IsNull(request.Header("api-key"));
        Assert.AreEqual(FakeLlmServer.ReplyText, response.Text);
    }

    [TestMethod]
    [DataRow("2024-06-01")]
    [DataRow("2025-01-01-preview")]
    public async Task CompleteAsync_SendsConfiguredApiVersion(string apiVersion)
    {
        var config = LlmTestKit.Config(server, ProviderKinds.AzureOpenAi) with { ApiVersion = apiVersion };

        await services.Provider(ProviderKinds.AzureOpenAi).CompleteAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(), Ct);

        Assert.AreEqual($"?api-version={apiVersion}", server.LastRequest.Query);
    }

    [TestMethod]
    public async Task CompleteAsync_RequestsJsonMode_WhenJsonOutput()
    {
        server.Reply = """{"sets":3}""";
        var config = LlmTestKit.Config(server, ProviderKinds.AzureOpenAi);

        var response = await services.Provider(ProviderKinds.AzureOpenAi).CompleteAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(json: true), Ct);

        Assert.AreEqual("json_object", server.LastRequest.Body["response_format"]!["type"]!.GetValue<string>());
        Assert.AreEqual("""{"sets":3}""", response.Text);
    }
}
