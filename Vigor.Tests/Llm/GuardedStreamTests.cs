using System.Diagnostics;
using Vigor.Core.Llm;
using Vigor.Core.Llm.Providers;

namespace Vigor.Tests.Llm;

[TestClass]
public sealed class GuardedStreamTests(TestContext testContext)
{
    private const int Cap = 1024 * 1024;

    private CancellationToken Ct => testContext.CancellationToken;

    [TestMethod]
    public async Task ReadAsync_ThrowsOversized_HavingPulledAtMostCapPlusOneByte()
    {
        var source = new ScriptedStream(endless: true);
        await using var guarded = Guard(source, Limits());

        var error = await Assert.ThrowsExactlyAsync<LlmProviderException>(() => guarded.CopyToAsync(Stream.Null, 81920, Ct));

        Assert.AreEqual(LlmFailure.Oversized, error.Kind);
        Assert.AreEqual(Cap + 1, source.BytesServed);
    }

    [TestMethod]
    public async Task ReadAsync_PassesBodyThrough_WhenExactlyAtCap()
    {
        var source = new ScriptedStream(endless: false, length: Cap);
        await using var guarded = Guard(source, Limits(), expectedLength: Cap);
        using var copy = new MemoryStream();

        await guarded.CopyToAsync(copy, 81920, Ct);

        Assert.AreEqual(Cap, copy.Length);
    }

    [TestMethod]
    public async Task ReadAsync_ThrowsStalled_WhenNoBytesArriveWithinStallTimeout()
    {
        var source = new ScriptedStream(endless: false, length: 100, hangAtEnd: true);
        await using var guarded = Guard(source, Limits() with { StallTimeout = TimeSpan.FromMilliseconds(200) });
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsExactlyAsync<LlmProviderException>(() => guarded.CopyToAsync(Stream.Null, 81920, Ct));

        Assert.AreEqual(LlmFailure.Stalled, error.Kind);
        Assert.IsLessThan(TimeSpan.FromSeconds(2), watch.Elapsed);
    }

    [TestMethod]
    public async Task ReadAsync_ThrowsTimeout_WhenDeadlinePassesMidBody()
    {
        var source = new ScriptedStream(endless: false, length: 100, hangAtEnd: true);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await using var guarded = new GuardedStream(source, Limits(), null, deadline.Token, TimeProvider.System);

        var error = await Assert.ThrowsExactlyAsync<LlmProviderException>(() => guarded.CopyToAsync(Stream.Null, 81920, Ct));

        Assert.AreEqual(LlmFailure.Timeout, error.Kind);
    }

    [TestMethod]
    public async Task ReadAsync_ThrowsTruncated_WhenBodyEndsShortOfContentLength()
    {
        var source = new ScriptedStream(endless: false, length: 100);
        await using var guarded = Guard(source, Limits(), expectedLength: 500);

        var error = await Assert.ThrowsExactlyAsync<LlmProviderException>(() => guarded.CopyToAsync(Stream.Null, 81920, Ct));

        Assert.AreEqual(LlmFailure.Truncated, error.Kind);
    }

    [TestMethod]
    public async Task ReadAsync_ThrowsTruncated_WhenConnectionDropsMidBody()
    {
        var source = new ScriptedStream(endless: false, length: 100, failAtEnd: true);
        await using var guarded = Guard(source, Limits());

        var error = await Assert.ThrowsExactlyAsync<LlmProviderException>(() => guarded.CopyToAsync(Stream.Null, 81920, Ct));

        Assert.AreEqual(LlmFailure.Truncated, error.Kind);
    }

    private static TransportLimits Limits() => new(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5), Cap);

    private static GuardedStream Guard(Stream source, TransportLimits limits, long? expectedLength = null)
        => new(source, limits, expectedLength, CancellationToken.None, TimeProvider.System);

    /// <summary>Serves 'a's: forever, or <c>length</c> bytes and then EOF, a hang, or a dropped connection.</summary>
    private sealed class ScriptedStream(bool endless, long length = 0, bool hangAtEnd = false, bool failAtEnd = false) : Stream
    {
        public long BytesServed { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesServed; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var left = endless ? long.MaxValue : length - BytesServed;
            if (left <= 0)
            {
                if (hangAtEnd)
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                if (failAtEnd)
                    throw new IOException("The response ended prematurely.");
                return 0;
            }
            var n = (int)Math.Min(buffer.Length, left);
            buffer.Span[..n].Fill((byte)'a');
            BytesServed += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override void Flush() => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
