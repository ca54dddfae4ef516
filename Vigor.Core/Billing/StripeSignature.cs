using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Vigor.Core.Billing;

/// <summary>
/// Stripe's webhook signature (https://docs.stripe.com/webhooks#verify-manually): the header is
/// <c>t=&lt;unix seconds&gt;,v1=&lt;hex&gt;[,v1=...]</c>, each v1 being HMAC-SHA256(secret, "{t}.{raw body}").
/// Checked over the raw bytes as received, in constant time, and only within the tolerance around now.
/// </summary>
public static class StripeSignature
{
    /// <summary>Null when the signature is valid, else why not (safe to show the caller).</summary>
    public static string? Check(ReadOnlySpan<byte> body, string? header, string secret, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrWhiteSpace(header))
            return "The Stripe-Signature header is missing.";
        long? timestamp = null;
        var signatures = new List<byte[]>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
                continue;
            var (key, value) = (part[..eq], part[(eq + 1)..]);
            if (key == "t" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t))
                timestamp = t;
            else if (key == "v1" && value.Length == 64 && TryHex(value, out var bytes))
                signatures.Add(bytes);
        }
        if (timestamp is null || signatures.Count == 0)
            return "The Stripe-Signature header has no timestamp or no v1 signature.";
        if (Math.Abs(now.ToUnixTimeSeconds() - timestamp.Value) > tolerance.TotalSeconds)
            return "The signature's timestamp is outside the tolerance.";

        var prefix = Encoding.ASCII.GetBytes(timestamp.Value.ToString(CultureInfo.InvariantCulture) + ".");
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        var expected = hmac.GetHashAndReset();
        var matched = false;
        foreach (var signature in signatures)
            matched |= CryptographicOperations.FixedTimeEquals(expected, signature);
        return matched ? null : "No signature matches the payload.";
    }

    private static bool TryHex(string value, out byte[] bytes)
    {
        bytes = new byte[value.Length / 2];
        return Convert.FromHexString(value, bytes, out _, out var written) == System.Buffers.OperationStatus.Done && written == bytes.Length;
    }
}
