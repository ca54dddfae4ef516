namespace Vigor.Core.Llm.Providers;

/// <summary>
/// A read-only view of a response body that enforces the attempt's limits while it is read: at most
/// <see cref="TransportLimits.MaxResponseBytes"/> bytes are ever pulled from the source (one more to detect the overrun),
/// a read that waits longer than the stall timeout fails as <see cref="LlmFailure.Stalled"/>, the total deadline as
/// <see cref="LlmFailure.Timeout"/>, and a body that ends short of its Content-Length or with a dropped connection as
/// <see cref="LlmFailure.Truncated"/>. For a stream (SSE), <paramref name="firstByte"/> bounds the wait for the first
/// byte instead of the stall timeout (the model may think before it speaks) and fails as <see cref="LlmFailure.Timeout"/>.
/// </summary>
internal sealed class GuardedStream(
    Stream inner, TransportLimits limits, long? expectedLength, CancellationToken deadline, TimeProvider time, CancellationToken firstByte = default) : Stream
{
    private long received;

    public long BytesReceived => received;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => received; set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length == 0)
            return 0;
        // Ask for no more than one byte past the cap, so an oversized body is caught without holding more than the cap.
        var allowed = limits.MaxResponseBytes - received + 1;
        var slice = buffer.Length > allowed ? buffer[..(int)allowed] : buffer;

        var awaitingFirst = received == 0 && firstByte.CanBeCanceled;
        using var stall = new CancellationTokenSource(awaitingFirst ? Timeout.InfiniteTimeSpan : limits.StallTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline, awaitingFirst ? firstByte : stall.Token);
        int read;
        try
        {
            read = await inner.ReadAsync(slice, linked.Token);
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested || stall.IsCancellationRequested || (awaitingFirst && firstByte.IsCancellationRequested))
        {
            throw deadline.IsCancellationRequested
                ? Fail(LlmFailure.Timeout, $"The response body was still arriving when the {Seconds(limits.Timeout)} s timeout ran out ({received} bytes in).", ex)
                : awaitingFirst
                    ? Fail(LlmFailure.Timeout, $"The stream sent nothing within the {Seconds(limits.FirstTokenTimeout ?? limits.Timeout)} s first-token timeout.", ex)
                    : Fail(LlmFailure.Stalled, $"The response body stalled: nothing for {Seconds(limits.StallTimeout)} s after {received} bytes.", ex);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw Fail(LlmFailure.Truncated, $"The connection failed after {received} bytes of the response body.", ex);
        }

        received += read;
        if (received > limits.MaxResponseBytes)
            throw Fail(LlmFailure.Oversized, $"The response body is larger than the {limits.MaxResponseBytes}-byte limit.");
        if (read == 0 && expectedLength is { } length && received < length)
            throw Fail(LlmFailure.Truncated, $"The response body ended after {received} of {length} bytes.");
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inner.Dispose();
        base.Dispose(disposing);
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    private static LlmProviderException Fail(LlmFailure kind, string message, Exception? inner = null) => new(kind, message, inner);
}
