using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Vigor.Core.Llm;

namespace Vigor.Tests.Llm;

[TestClass]
public sealed class ProviderCallerTests(TestContext testContext)
{
    // 42 input × $2.50/M + 17 output × $10/M (LlmTestKit prices, FakeLlmServer usage).
    private const decimal OneReplyCost = 0.000275m;

    private FakeLlmServer server = null!;
    private ServiceProvider services = null!;

    private CancellationToken Ct => testContext.CancellationToken;

    private ProviderCaller Caller => services.GetRequiredService<ProviderCaller>();

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
    [DataRow(ProviderKinds.OpenAi)]
    [DataRow(ProviderKinds.OpenAiCompatible)]
    [DataRow(ProviderKinds.AzureOpenAi)]
    [DataRow(ProviderKinds.Anthropic)]
    public async Task CallAsync_RetriesOnceAndSucceeds_WhenFirstAttemptIsUnavailable(string kind)
    {
        server.Fail(FakeFault.Unavailable, times: 1);
        var config = LlmTestKit.Config(server, kind);

        var result = await Caller.CallAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(), Ct);

        Assert.IsTrue(result.Succeeded);
        Assert.AreEqual(FakeLlmServer.ReplyText, result.Response!.Text);
        Assert.AreEqual(2, server.Calls);
        Assert.HasCount(2, result.Attempts);
        Assert.AreEqual(LlmFailure.ServerError, result.Attempts[0].Failure);
        Assert.AreEqual(kind == ProviderKinds.Anthropic ? 529 : 503, result.Attempts[0].StatusCode);
        Assert.IsTrue(result.Attempts[1].Succeeded);
        Assert.AreEqual(config.Id, result.Attempts[1].ProviderId);
        Assert.AreEqual(FakeLlmServer.InputTokens, result.Attempts[1].InputTokens);
        Assert.AreEqual(OneReplyCost, result.Cost);
    }

    [TestMethod]
    public async Task CallAsync_GivesUpAtOnce_WhenRetryAfterIsOverBound()
    {
        server.Fail(FakeFault.RateLimited, retryAfterSeconds: 60);
        var config = LlmTestKit.Config(server, ProviderKinds.OpenAi);
        var watch = Stopwatch.StartNew();

        var result = await Caller.CallAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(), Ct);

        Assert.IsFalse(result.Succeeded);
        Assert.AreEqual(LlmFailure.RateLimited, result.Failure!.Kind);
        Assert.AreEqual(TimeSpan.FromSeconds(60), result.Failure.RetryAfter);
        Assert.AreEqual(1, server.Calls);
        Assert.IsLessThan(TimeSpan.FromSeconds(1), watch.Elapsed);
    }

    [TestMethod]
    public async Task CallAsync_WaitsOutShortRetryAfter_ThenSucceeds()
    {
        server.Fail(FakeFault.RateLimited, times: 1, retryAfterSeconds: 1);
        var config = LlmTestKit.Config(server, ProviderKinds.Anthropic);
        var watch = Stopwatch.StartNew();

        var result = await Caller.CallAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(), Ct);

        Assert.IsTrue(result.Succeeded);
        Assert.AreEqual(2, server.Calls);
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(950), watch.Elapsed);
        Assert.AreEqual(TimeSpan.FromSeconds(1), result.Attempts[0].RetryAfter);
    }

    [TestMethod]
    public async Task CallAsync_StopsAfterTwoRetries_WhenServerKeepsFailing()
    {
        server.Fail(FakeFault.ServerError);
        var config = LlmTestKit.Config(server, ProviderKinds.OpenAi);

        var result = await Caller.CallAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(), Ct);

        Assert.AreEqual(LlmFailure.ServerError, result.Failure!.Kind);
        Assert.AreEqual(3, server.Calls);
        CollectionAssert.AreEqual(new[] { 1, 2, 3 }, result.Attempts.Select(a => a.Number).ToArray());
        Assert.AreEqual(0m, result.Cost);
    }

    [TestMethod]
    [DataRow("BadRequest", "BadRequest")]
    [DataRow("ErrorBody", "ErrorBody")]
    [DataRow("MalformedJson", "Malformed")]
    [DataRow("TruncatedBody", "Truncated")]
    [DataRow("OversizedChunked", "Oversized")]
    public async Task CallAsync_NeverRetries_NonTransientFailure(string fault, string expected)
    {
        server.Fail(Enum.Parse<FakeFault>(fault));
        var config = LlmTestKit.Config(server, ProviderKinds.OpenAi);

        var result = await Caller.CallAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(), Ct);

        Assert.AreEqual(Enum.Parse<LlmFailure>(expected), result.Failure!.Kind);
        Assert.AreEqual(1, server.Calls);
        Assert.HasCount(1, result.Attempts);
    }

    [TestMethod]
    public async Task CallAsync_NeverRetries_Unauthorized()
    {
        var config = LlmTestKit.Config(server, ProviderKinds.Anthropic);

        var result = await Caller.CallAsync(config, "sk-wrong", LlmTestKit.Request(), Ct);

        Assert.AreEqual(LlmFailure.Unauthorized, result.Failure!.Kind);
        Assert.AreEqual(401, result.Attempts.Single().StatusCode);
        Assert.AreEqual(1, server.Calls);
    }

    [TestMethod]
    public async Task CallAsync_ChargesBilledTokens_WhenJsonReplyIsCutAtLimit()
    {
        server.Fail(FakeFault.HitTokenLimit);
        var config = LlmTestKit.Config(server, ProviderKinds.AzureOpenAi);

        var result = await Caller.CallAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(json: true), Ct);

        Assert.AreEqual(LlmFailure.Truncated, result.Failure!.Kind);
        Assert.AreEqual(FakeLlmServer.OutputTokens, result.Attempts.Single().OutputTokens);
        Assert.AreEqual(OneReplyCost, result.Cost);
    }

    [TestMethod]
    public async Task CallAsync_FailsBadRequest_WithoutCalling_ForUnknownKind()
    {
        var config = LlmTestKit.Config(server, ProviderKinds.OpenAi) with { Kind = "carrier-pigeon" };

        var result = await Caller.CallAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(), Ct);

        Assert.AreEqual(LlmFailure.BadRequest, result.Failure!.Kind);
        Assert.AreEqual(0, server.Calls);
    }
}
