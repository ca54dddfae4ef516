using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Vigor.Core.Llm;

namespace Vigor.Tests.Llm;

/// <summary>Every way a vendor stream breaks, through the real SDKs and the guarded transport, ends as the right <see cref="LlmFailure"/> in bounded time.</summary>
[TestClass]
public sealed class StreamFaultTests(TestContext testContext)
{
    // Config timeout 3 s, first token 2 s, stall 0.4 s (LlmTestKit); the fake hangs for 10 s.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(4.5);

    private static readonly string[] Kinds = [ProviderKinds.OpenAi, ProviderKinds.OpenAiCompatible, ProviderKinds.AzureOpenAi, ProviderKinds.Anthropic];

    private FakeLlmServer server = null!;
    private ServiceProvider services = null!;

    private CancellationToken Ct => testContext.CancellationToken;

    public static IEnumerable<object[]> Faults()
    {
        (FakeFault Fault, LlmFailure Expected)[] table =
        [
            (FakeFault.StallMidBody, LlmFailure.Stalled),
            (FakeFault.TruncatedBody, LlmFailure.Truncated),
            (FakeFault.NoTerminalEvent, LlmFailure.Truncated),
            (FakeFault.ErrorEvent, LlmFailure.ServerError),
            (FakeFault.SlowDrip, LlmFailure.Timeout),
            (FakeFault.SlowFirstByte, LlmFailure.Timeout),
            (FakeFault.OversizedChunked, LlmFailure.Oversized),
            (FakeFault.OversizedDeclared, LlmFailure.Oversized),
            (FakeFault.MalformedJson, LlmFailure.Malformed),
            (FakeFault.WrongShape, LlmFailure.Malformed),
            (FakeFault.ErrorBody, LlmFailure.ErrorBody),
            (FakeFault.RateLimited, LlmFailure.RateLimited),
            (FakeFault.Unavailable, LlmFailure.ServerError),
        ];
        foreach (var kind in Kinds)
        {
            foreach (var (fault, expected) in table)
                yield return [kind, fault.ToString(), expected.ToString()];
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
    public async Task StreamAsync_ClassifiesFault_WithinBound(string kind, string fault, string expected)
    {
        server.Fail(Enum.Parse<FakeFault>(fault));
        var config = LlmTestKit.Config(server, kind);
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsExactlyAsync<LlmProviderException>(
            () => services.Provider(kind).StreamAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(), null, Ct));

        Assert.AreEqual(Enum.Parse<LlmFailure>(expected), error.Kind, error.Message);
        Assert.IsLessThan(Bound, watch.Elapsed);
        Assert.AreEqual(1, server.Calls, "the SDK must not retry on its own");
    }

    [TestMethod]
    [DynamicData(nameof(AllKinds))]
    public async Task StreamAsync_FailsTimeoutAtFirstTokenBound_NotTotalTimeout_WhenVendorSaysNothing(string kind)
    {
        server.Fail(FakeFault.SlowFirstByte);
        var config = LlmTestKit.Config(server, kind) with { Timeout = TimeSpan.FromSeconds(8) };
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsExactlyAsync<LlmProviderException>(
            () => services.Provider(kind).StreamAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(), null, Ct));

        Assert.AreEqual(LlmFailure.Timeout, error.Kind);
        StringAssert.Contains(error.Message, "first-token");
        Assert.IsLessThan(TimeSpan.FromSeconds(5), watch.Elapsed, "2 s first-token bound, far under the 8 s total timeout");
        Assert.IsTrue(error.IsTransient);
    }

    [TestMethod]
    [DynamicData(nameof(AllKinds))]
    public async Task StreamAsync_FailsStalled_AfterHandingOnThePiecesBeforeTheStall(string kind)
    {
        server.Fail(FakeFault.StallMidBody);
        var config = LlmTestKit.Config(server, kind);
        var deltas = new List<string>();

        var error = await Assert.ThrowsExactlyAsync<LlmProviderException>(
            () => services.Provider(kind).StreamAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(), deltas.Add, Ct));

        Assert.AreEqual(LlmFailure.Stalled, error.Kind);
        Assert.IsTrue(error.IsTransient, "a stalled stream is retried, then the caller moves on");
        StringAssert.Contains(error.Message, "stalled", "the 0.4 s stall bound caught it, not the 3 s total timeout");
        CollectionAssert.AreEqual(FakeLlmStreams.Pieces(FakeLlmServer.ReplyText).Take(FakeLlmStreams.PiecesBeforeFault).ToArray(), deltas);
    }

    [TestMethod]
    [DataRow(ProviderKinds.OpenAi, FakeLlmStreams.OpenAiStreamError, "server_error")]
    [DataRow(ProviderKinds.AzureOpenAi, FakeLlmStreams.OpenAiStreamError, "server_error")]
    [DataRow(ProviderKinds.Anthropic, FakeLlmStreams.AnthropicStreamError, "overloaded_error")]
    public async Task StreamAsync_FailsWithVendorMessage_OnErrorEventMidStream(string kind, string vendorMessage, string vendorType)
    {
        server.Fail(FakeFault.ErrorEvent);
        var config = LlmTestKit.Config(server, kind);

        var error = await Assert.ThrowsExactlyAsync<LlmProviderException>(
            () => services.Provider(kind).StreamAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(), null, Ct));

        Assert.AreEqual(LlmFailure.ServerError, error.Kind);
        Assert.AreEqual(200, error.StatusCode);
        StringAssert.Contains(error.Message, vendorMessage);
        StringAssert.Contains(error.Message, vendorType);
    }

    [TestMethod]
    [DataRow(ProviderKinds.OpenAi)]
    [DataRow(ProviderKinds.Anthropic)]
    public async Task StreamAsync_FailsCancelled_WhenCallerCancelsMidStream(string kind)
    {
        server.Fail(FakeFault.SlowDrip);
        var config = LlmTestKit.Config(server, kind);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(500));

        var error = await Assert.ThrowsExactlyAsync<LlmProviderException>(
            () => services.Provider(kind).StreamAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(), null, cancel.Token));

        Assert.AreEqual(LlmFailure.Cancelled, error.Kind);
    }
}
