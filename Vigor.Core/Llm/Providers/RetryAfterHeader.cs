using System.Globalization;
using System.Net.Http.Headers;

namespace Vigor.Core.Llm.Providers;

/// <summary>
/// How long a vendor asks us to wait. Millisecond headers win because they are more precise: OpenAI sends
/// <c>retry-after-ms</c>, Azure <c>x-ms-retry-after-ms</c>; everyone sends <c>Retry-After</c> (seconds or an HTTP date).
/// </summary>
internal static class RetryAfterHeader
{
    public static TimeSpan? Read(HttpResponseHeaders headers, TimeProvider time)
    {
        foreach (var name in (string[])["retry-after-ms", "x-ms-retry-after-ms"])
        {
            if (headers.TryGetValues(name, out var values)
                && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0)
                return TimeSpan.FromMilliseconds(ms);
        }
        if (headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
                return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
            if (retryAfter.Date is { } date)
            {
                var wait = date - time.GetUtcNow();
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            }
        }
        return null;
    }
}
