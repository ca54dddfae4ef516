using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Vigor.Core.Llm;

namespace Vigor.Tests.Llm;

[TestClass]
public sealed class AnthropicProviderTests(TestContext testContext)
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
    public async Task CompleteAsync_ReturnsTextUsageAndModel_FromMessage()
    {
        var config = LlmTestKit.Config(server, ProviderKinds.Anthropic);

        var response = await services.Provider(ProviderKinds.Anthropic).CompleteAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(), Ct);

        Assert.AreEqual(FakeLlmServer.ReplyText, response.Text);
        Assert.AreEqual(FakeLlmServer.InputTokens, response.InputTokens);
        Assert.AreEqual(FakeLlmServer.OutputTokens, response.OutputTokens);
        Assert.AreEqual("claude-sonnet-4-5", response.Model);
        Assert.AreEqual("end_turn", response.FinishReason);
    }

    [TestMethod]
    public async Task CompleteAsync_PutsSystemPromptInSystemField_AndSendsKeyAndVersion()
    {
        var config = LlmTestKit.Config(server, ProviderKinds.Anthropic);
        var request = new LlmRequest(
            [
                new LlmMessage(LlmRoles.System, "You are a strength coach."),
                new LlmMessage(LlmRoles.User, "Leg day?"),
                new LlmMessage(LlmRoles.Assistant, "Squats."),
                new LlmMessage(LlmRoles.User, "How many?"),
            ],
            MaxOutputTokens: 300, Temperature: null, JsonOutput: false);

        await services.Provider(ProviderKinds.Anthropic).CompleteAsync(config, FakeLlmServer.ApiKey, request, Ct);

        var received = server.LastRequest;
        Assert.AreEqual("/v1/messages", received.Path);
        Assert.AreEqual($"Bearer {FakeLlmServer.ApiKey}", received.Header("Authorization"));
        Assert.IsFalse(string.IsNullOrEmpty(received.Header("anthropic-version")));
        Assert.AreEqual("claude-sonnet-4-5", received.Body["model"]!.GetValue<string>());
        Assert.AreEqual(300, received.Body["max_tokens"]!.GetValue<int>());
        Assert.AreEqual("You are a strength coach.", received.Body["system"]!.GetValue<string>());
        var messages = received.Body["messages"]!.AsArray();
        CollectionAssert.AreEqual(new[] { "user", "assistant", "user" }, messages.Select(m => m!["role"]!.GetValue<string>()).ToArray());
        Assert.IsFalse(messages.Any(m => Content(m!).Contains("strength coach", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task CompleteAsync_AsksForJsonInSystem_AndStripsCodeFence_WhenJsonOutput()
    {
        server.Reply = "```json\n{\"exercise\":\"lunge\",\"sets\":3}\n```";
        var config = LlmTestKit.Config(server, ProviderKinds.Anthropic);

        var response = await services.Provider(ProviderKinds.Anthropic).CompleteAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(json: true), Ct);

        Assert.AreEqual("""{"exercise":"lunge","sets":3}""", response.Text);
        var system = server.LastRequest.Body["system"]!.GetValue<string>();
        StringAssert.StartsWith(system, "You are a strength coach.");
        StringAssert.Contains(system, "JSON");
    }

    private static string Content(JsonNode message) => message["content"] is JsonValue value ? value.GetValue<string>() : message["content"]!.ToJsonString();
}
