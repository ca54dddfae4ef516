using Microsoft.Extensions.DependencyInjection;
using Vigor.Core.Llm;

namespace Vigor.Tests.Llm;

/// <summary><see cref="ProviderCaller"/> over streamed attempts: the default, retries that start over, estimated usage costed and marked.</summary>
[TestClass]
public sealed class ProviderCallerStreamingTests(TestContext testContext)
{
    private FakeLlmServer server = null!;
    private ServiceProvider services = null!;

    private CancellationToken Ct => testContext.CancellationToken;

    private ProviderCaller Caller => services.GetRequiredService<ProviderCaller>();

    [TestInitialize]
    public async Task Start()
    {
        server = await FakeLlmServer.StartAsync();
        services = LlmTestKit.Services(new Dictionary<string, string?> { ["Llm:Retry:BaseDelay"] = "00:00:00.010" });
    }

    [TestCleanup]
    public async Task Stop()
    {
        await services.DisposeAsync();
        await server.DisposeAsync();
    }

    [TestMethod]
    public async Task CallAsync_Streams_UnlessConfigTurnsItOff()
    {
        var config = LlmTestKit.Config(server, ProviderKinds.OpenAi);

        await Caller.CallAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(), Ct);
        var streamed = server.LastRequest.Body["stream"]?.GetValue<bool>();
        await Caller.CallAsync(config with { Streaming = false }, FakeLlmServer.ApiKey, LlmTestKit.Request(), Ct);

        Assert.IsTrue(streamed);
        Assert.IsNull(server.LastRequest.Body["stream"]);
    }

    [TestMethod]
    [DataRow(ProviderKinds.OpenAi, nameof(FakeFault.StallMidBody), "Stalled")]
    [DataRow(ProviderKinds.AzureOpenAi, nameof(FakeFault.ErrorEvent), "ServerError")]
    [DataRow(ProviderKinds.Anthropic, nameof(FakeFault.StallMidBody), "Stalled")]
    [DataRow(ProviderKinds.Anthropic, nameof(FakeFault.ErrorEvent), "ServerError")]
    public async Task CallAsync_ReturnsOnlyTheFinishedAttempt_WhenARetryFollowsAHalfStream(string kind, string fault, string firstFailure)
    {
        server.Fail(Enum.Parse<FakeFault>(fault), times: 1);
        var config = LlmTestKit.Config(server, kind);
        var deltas = new List<LlmDelta>();
        var pieces = FakeLlmStreams.Pieces(FakeLlmServer.ReplyText);

        var result = await Caller.CallAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(), Ct, deltas.Add);

        Assert.AreEqual(FakeLlmServer.ReplyText, result.Response!.Text, "no piece of the broken attempt in the answer");
        CollectionAssert.AreEqual(new LlmFailure?[] { Enum.Parse<LlmFailure>(firstFailure), null }, result.Attempts.Select(a => a.Failure).ToArray());
        var firstAttempt = deltas.Where(d => d.Attempt == 1).Select(d => d.Text).ToArray();
        var secondAttempt = deltas.Where(d => d.Attempt == 2).Select(d => d.Text).ToArray();
        CollectionAssert.AreEqual(pieces.Take(FakeLlmStreams.PiecesBeforeFault).ToArray(), firstAttempt);
        CollectionAssert.AreEqual(pieces, secondAttempt, "the retry streams the whole answer again, tagged as attempt 2");
        Assert.AreEqual(CostCalculator.Cost(config, FakeLlmServer.InputTokens, FakeLlmServer.OutputTokens), result.Cost, "the broken attempt reported no usage");
    }

    [TestMethod]
    public async Task CallAsync_MovesOn_WhenEveryAttemptStalls()
    {
        server.Fail(FakeFault.StallMidBody);
        var config = LlmTestKit.Config(server, ProviderKinds.OpenAi);

        var result = await Caller.CallAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(), Ct);

        Assert.IsFalse(result.Succeeded);
        Assert.AreEqual(LlmFailure.Stalled, result.Failure!.Kind);
        Assert.HasCount(3, result.Attempts, "first attempt and the two retries, then the orchestrator's next candidate");
    }

    [TestMethod]
    public async Task CallAsync_CostsAndMarksEstimatedUsage_WhenStreamReportsNone()
    {
        server.Fail(FakeFault.NoUsage);
        var config = LlmTestKit.Config(server, ProviderKinds.OpenAiCompatible);
        var request = LlmTestKit.Request();

        var result = await Caller.CallAsync(config, FakeLlmServer.ApiKey, request, Ct);

        var attempt = result.Attempts.Single();
        Assert.IsTrue(attempt.UsageEstimated);
        Assert.AreEqual(CostCalculator.EstimateInputTokens(request), attempt.InputTokens);
        Assert.AreEqual(CostCalculator.Cost(config, attempt.InputTokens, attempt.OutputTokens), result.Cost);
        Assert.IsGreaterThan(0m, result.Cost);
    }

    [TestMethod]
    public async Task CallAsync_HandsOnWholeReplyAsOneDelta_WhenNotStreaming()
    {
        var config = LlmTestKit.Config(server, ProviderKinds.Anthropic) with { Streaming = false };
        var deltas = new List<LlmDelta>();

        await Caller.CallAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(), Ct, deltas.Add);

        CollectionAssert.AreEqual(new[] { new LlmDelta(1, FakeLlmServer.ReplyText) }, deltas);
    }
}
