using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Vigor.Core.Llm;

namespace Vigor.Tests.Llm;

/// <summary>Every vendor fault, through the real SDKs and the guarded transport, ends as the right <see cref="LlmFailure"/> in bounded time.</summary>
[TestClass]
public sealed class ProviderFaultTests(TestContext testContext)
{
    // Config timeout is 3 s and stall timeout 0.4 s (LlmTestKit); the fake hangs for 10 s.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(4.5);

    private static readonly string[] Kinds = [ProviderKinds.OpenAi, ProviderKinds.OpenAiCompatible, ProviderKinds.AzureOpenAi, ProviderKinds.Anthropic];

    private FakeLlmServer server = null!;
    private ServiceProvider services = null!;

    private CancellationToken Ct => testContext.CancellationToken;

    public static IEnumerable<object[]> Faults()
    {
        (FakeFault Fault, LlmFailure Expected, bool Json)[] table =
        [
            (FakeFault.RateLimited, LlmFailure.RateLimited, false),
            (FakeFault.ServerError, LlmFailure.ServerError, false),
            (FakeFault.Unavailable, LlmFailure.ServerError, false),
            (FakeFault.BadRequest, LlmFailure.BadRequest, false),
            (FakeFault.ErrorBody, LlmFailure.ErrorBody, false),
            (FakeFault.MalformedJson, LlmFailure.Malformed, false),
            (FakeFault.WrongShape, LlmFailure.Malformed, false),
            (FakeFault.NoUsage, LlmFailure.Malformed, false),
            (FakeFault.TruncatedBody, LlmFailure.Truncated, false),
            (FakeFault.OversizedDeclared, LlmFailure.Oversized, false),
            (FakeFault.OversizedChunked, LlmFailure.Oversized, false),
            (FakeFault.StallMidBody, LlmFailure.Stalled, false),
            (FakeFault.SlowFirstByte, LlmFailure.Timeout, false),
            (FakeFault.HitTokenLimit, LlmFailure.Truncated, true),
            (FakeFault.NotJsonReply, LlmFailure.Malformed, true),
        ];
        foreach (var kind in Kinds)
        {
            foreach (var (fault, expected, json) in table)
                yield return [kind, fault.ToString(), expected.ToString(), json];
        }
    }

    public static IEnumerable<object[]> AllKinds() => Kinds.Select(k => new object[] { k });

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
    [DynamicData(nameof(Faults))]
    public async Task CompleteAsync_ClassifiesFault_WithinBound(string kind, string fault, string expected, bool json)
    {
        server.Fail(Enum.Parse<FakeFault>(fault));
        var config = LlmTestKit.Config(server, kind);
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsExactlyAsync<LlmProviderException>(
            () => services.Provider(kind).CompleteAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(json), Ct));

        Assert.AreEqual(Enum.Parse<LlmFailure>(expected), error.Kind, error.Message);
        Assert.IsLessThan(Bound, watch.Elapsed);
        Assert.AreEqual(1, server.Calls, "the SDK must not retry on its own");
    }

    [TestMethod]
    [DynamicData(nameof(AllKinds))]
    public async Task CompleteAsync_ReportsStatusAndRetryAfter_OnRateLimit(string kind)
    {
        server.Fail(FakeFault.RateLimited, retryAfterSeconds: 7);
        var config = LlmTestKit.Config(server, kind);

        var error = await Assert.ThrowsExactlyAsync<LlmProviderException>(
            () => services.Provider(kind).CompleteAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(), Ct));

        Assert.AreEqual(429, error.StatusCode);
        Assert.AreEqual(TimeSpan.FromSeconds(7), error.RetryAfter);
        Assert.IsTrue(error.IsTransient);
    }

    [TestMethod]
    [DynamicData(nameof(AllKinds))]
    public async Task CompleteAsync_FailsUnauthorized_WhenVendorAnswers401(string kind)
    {
        var config = LlmTestKit.Config(server, kind);

        var error = await Assert.ThrowsExactlyAsync<LlmProviderException>(
            () => services.Provider(kind).CompleteAsync(config, "sk-wrong", LlmTestKit.Request(), Ct));

        Assert.AreEqual(LlmFailure.Unauthorized, error.Kind);
        Assert.AreEqual(401, error.StatusCode);
        Assert.IsFalse(error.IsTransient);
        for (Exception? e = error; e is not null; e = e.InnerException)
            Assert.DoesNotContain("sk-", e.Message, "no key fragment may reach a message");
    }

    [TestMethod]
    [DynamicData(nameof(AllKinds))]
    public async Task CompleteAsync_ReportsTokensBilled_WhenJsonCutAtLimit(string kind)
    {
        server.Fail(FakeFault.HitTokenLimit);
        var config = LlmTestKit.Config(server, kind);

        var error = await Assert.ThrowsExactlyAsync<LlmProviderException>(
            () => services.Provider(kind).CompleteAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(json: true), Ct));

        Assert.AreEqual(new LlmUsage(FakeLlmServer.InputTokens, FakeLlmServer.OutputTokens), error.BilledUsage);
    }

    [TestMethod]
    [DataRow(ProviderKinds.OpenAi)]
    [DataRow(ProviderKinds.Anthropic)]
    public async Task CompleteAsync_FailsCancelled_WhenCallerCancels(string kind)
    {
        server.Fail(FakeFault.SlowFirstByte);
        var config = LlmTestKit.Config(server, kind);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(200));

        var error = await Assert.ThrowsExactlyAsync<LlmProviderException>(
            () => services.Provider(kind).CompleteAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(), cancel.Token));

        Assert.AreEqual(LlmFailure.Cancelled, error.Kind);
    }
}
