using System.Text;
using Vigor.Core.Llm;
using Vigor.Core.Llm.Providers;

namespace Vigor.Tests.Llm;

/// <summary>The event framing <see cref="SseGuardStream"/> follows: any line ending, events split across reads, error events, long content lines.</summary>
[TestClass]
public sealed class SseGuardStreamTests(TestContext testContext)
{
    private CancellationToken Ct => testContext.CancellationToken;

    [TestMethod]
    [DataRow("\n")]
    [DataRow("\r\n")]
    [DataRow("\r")]
    public async Task ReadAsync_PassesStreamThrough_WhenTerminalEventArrives_WithAnyLineEnding(string newline)
    {
        var body = $"data: {{\"choices\":[]}}{newline}{newline}: keep-alive{newline}{newline}data: [DONE]{newline}{newline}";

        var (copied, sse) = await CopyAsync(body, readSize: 3);

        Assert.AreEqual(body, copied);
        Assert.IsTrue(sse.Terminated);
        Assert.AreEqual(2, sse.Events);
    }

    [TestMethod]
    public async Task ReadAsync_SeesAnthropicMessageStop_SplitAcrossReads()
    {
        var body = "event: message_delta\ndata: {\"type\":\"message_delta\"}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

        var (_, sse) = await CopyAsync(body, readSize: 1);

        Assert.IsTrue(sse.Terminated);
    }

    [TestMethod]
    public async Task ReadAsync_ThrowsTruncated_WhenStreamEndsWithoutTerminalEvent()
    {
        var body = "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n";

        var error = await Assert.ThrowsExactlyAsync<LlmProviderException>(() => CopyAsync(body, readSize: 64));

        Assert.AreEqual(LlmFailure.Truncated, error.Kind);
    }

    [TestMethod]
    public async Task ReadAsync_TakesNoFalseAlarm_FromTheWordErrorInsideContent()
    {
        var body = "data: {\"choices\":[{\"delta\":{\"content\":\"an \\\"error\\\" in form is fine\"}}]}\n\ndata: [DONE]\n\n";

        var (_, sse) = await CopyAsync(body, readSize: 16);

        Assert.IsTrue(sse.Terminated);
    }

    [TestMethod]
    public async Task ReadAsync_IgnoresContentLinesLongerThanItInspects()
    {
        var body = $"data: {{\"text\":\"{new string('a', 200_000)}\"}}\n\ndata: [DONE]\n\n";

        var (copied, sse) = await CopyAsync(body, readSize: 8192);

        Assert.AreEqual(body.Length, copied.Length);
        Assert.AreEqual(2, sse.Events);
        Assert.IsTrue(sse.Terminated);
    }

    [TestMethod]
    [DataRow("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Slow down\"}}\n\n", "RateLimited")]
    [DataRow("data: {\"error\":{\"message\":\"Bad things\",\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\"}}\n\n", "ErrorBody")]
    [DataRow("event: error\ndata: not json\n\n", "ErrorBody")]
    public async Task ReadAsync_ThrowsOnErrorEvent_ClassifiedByVendorType(string errorEvent, string expected)
    {
        var body = "data: {\"choices\":[]}\n\n" + errorEvent + "data: [DONE]\n\n";

        var error = await Assert.ThrowsExactlyAsync<LlmProviderException>(() => CopyAsync(body, readSize: 5));

        Assert.AreEqual(Enum.Parse<LlmFailure>(expected), error.Kind);
    }

    [TestMethod]
    public async Task ReadAsync_HandsOnEventsUpToTheError_ThenThrows_WhenAllArriveInOneRead()
    {
        const string before = "data: {\"choices\":[]}\n\n";
        const string error = "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n";
        await using var sse = Sse(before + error + "data: [DONE]\n\n");
        var buffer = new byte[4096];

        var read = await sse.ReadAsync(buffer, Ct);
        var next = await Assert.ThrowsExactlyAsync<LlmProviderException>(() => sse.ReadAsync(buffer, Ct).AsTask());

        Assert.AreEqual(before + error, Encoding.UTF8.GetString(buffer, 0, read));
        Assert.IsFalse(sse.Terminated, "the [DONE] after an error never counts");
        Assert.AreEqual(LlmFailure.ServerError, next.Kind);
        StringAssert.Contains(next.Message, "Overloaded");
    }

    [TestMethod]
    public void VendorMessage_MasksKeysAndShortens()
    {
        var message = ResponseInspector.VendorMessage("Incorrect API key provided: sk-test-0123456789.\nSee " + new string('x', 300));

        Assert.DoesNotContain("sk-test", message);
        Assert.DoesNotContain("\n", message);
        Assert.IsLessThanOrEqualTo(201, message.Length);
        StringAssert.StartsWith(message, "Incorrect API key provided: ***");
    }

    private static SseGuardStream Sse(string body)
    {
        var limits = new TransportLimits(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5), 1024 * 1024);
        var guarded = new GuardedStream(new MemoryStream(Encoding.UTF8.GetBytes(body)), limits, null, CancellationToken.None, TimeProvider.System);
        return new SseGuardStream(guarded, scope: null, firstTokenTimer: null);
    }

    private async Task<(string Copied, SseGuardStream Sse)> CopyAsync(string body, int readSize)
    {
        var sse = Sse(body);
        using var copy = new MemoryStream();
        var buffer = new byte[readSize];
        int read;
        while ((read = await sse.ReadAsync(buffer, Ct)) > 0)
            copy.Write(buffer, 0, read);
        await sse.DisposeAsync();
        return (Encoding.UTF8.GetString(copy.ToArray()), sse);
    }
}
