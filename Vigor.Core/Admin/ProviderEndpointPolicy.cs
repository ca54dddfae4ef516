using System.Net;
using System.Net.Sockets;

namespace Vigor.Core.Admin;

/// <summary>Which provider endpoints an admin may configure (section <c>Llm</c>).</summary>
public sealed class ProviderEndpointOptions
{
    public const string Section = "Llm";

    /// <summary>Allow <c>http://</c> endpoints on loopback (local model servers, tests); https is required otherwise.</summary>
    public bool AllowHttpEndpoints { get; set; }

    /// <summary>Allow endpoints on private networks (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7, single-label and .internal names).</summary>
    public bool AllowPrivateEndpoints { get; set; }
}

/// <summary>
/// Server-side request forgery guard for provider endpoints (OWASP API7): the app sends an API key to whatever
/// endpoint is configured, so an endpoint must be an absolute https URL on a public host. Link-local addresses
/// (the cloud metadata services at 169.254.169.254, fd00:ec2::254), unspecified, multicast and reserved
/// addresses are refused always; loopback and private networks only when a setting allows them. Host names are
/// judged by name: one that resolves to a private address is the transport's to refuse at connect time.
/// </summary>
internal static class ProviderEndpointPolicy
{
    public const int MaxLength = 500;

    private enum Reach { Public, Loopback, Private, Forbidden }

    private static readonly IPAddress AwsMetadataV6 = IPAddress.Parse("fd00:ec2::254");
    private static readonly string[] MetadataHosts = ["metadata.google.internal", "metadata.goog", "metadata"];
    private static readonly string[] PrivateSuffixes = [".internal", ".local", ".lan", ".home.arpa", ".intranet", ".corp"];

    /// <summary>Null when the endpoint is acceptable, else why not.</summary>
    public static string? Check(string endpoint, ProviderEndpointOptions options)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp || uri.Host.Length == 0)
            return "must be an absolute https URL.";
        if (uri.UserInfo.Length > 0)
            return "must not contain credentials; set the API key with PUT admin/providers/{id}/secret.";
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
            return "must not have a query or a fragment.";

        var reach = Classify(uri);
        if (reach == Reach.Forbidden)
            return "must not point at a link-local, metadata, unspecified, multicast or reserved address.";
        if (reach == Reach.Private && !options.AllowPrivateEndpoints)
            return "must not point at a private network (the setting Llm:AllowPrivateEndpoints allows it).";
        // Loopback is where local model servers and test fakes listen; either setting admits it.
        if (reach == Reach.Loopback && !options.AllowPrivateEndpoints && !options.AllowHttpEndpoints)
            return "must not point at loopback (the setting Llm:AllowHttpEndpoints or Llm:AllowPrivateEndpoints allows it).";
        if (uri.Scheme == Uri.UriSchemeHttp && !(reach == Reach.Loopback && options.AllowHttpEndpoints))
            return "must use https (http only on loopback, with the setting Llm:AllowHttpEndpoints).";
        return null;
    }

    /// <summary>True when both endpoints reach the same scheme, host and port (null is the vendor's default endpoint).</summary>
    public static bool SameOrigin(string? a, string? b)
    {
        if (a is null || b is null)
            return a is null && b is null;
        return Uri.TryCreate(a, UriKind.Absolute, out var x) && Uri.TryCreate(b, UriKind.Absolute, out var y)
               && Uri.Compare(x, y, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
    }

    private static Reach Classify(Uri uri)
    {
        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6)
            return IPAddress.TryParse(uri.DnsSafeHost, out var address) ? Classify(address) : Reach.Forbidden;
        var host = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
        if (MetadataHosts.Contains(host))
            return Reach.Forbidden;
        if (host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal))
            return Reach.Loopback;
        // A single-label name only resolves through a local resolver or search domain: an internal host.
        if (!host.Contains('.', StringComparison.Ordinal) || PrivateSuffixes.Any(s => host.EndsWith(s, StringComparison.Ordinal)))
            return Reach.Private;
        return Reach.Public;
    }

    private static Reach Classify(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetwork)
            return ClassifyV4(address.GetAddressBytes());

        var b = address.GetAddressBytes();
        // NAT64 (64:ff9b::/96) carries an IPv4 address in its last four bytes.
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
            return ClassifyV4(b[12..]);
        if (address.Equals(IPAddress.IPv6Loopback))
            return Reach.Loopback;
        if (address.Equals(IPAddress.IPv6None) || address.IsIPv6LinkLocal || address.IsIPv6Multicast || address.Equals(AwsMetadataV6))
            return Reach.Forbidden;
        if (address.IsIPv6UniqueLocal || address.IsIPv6SiteLocal)
            return Reach.Private;
        return Reach.Public;
    }

    private static Reach ClassifyV4(byte[] b) => b switch
    {
        [0, ..] or [169, 254, ..] or [>= 224, ..] or [192, 0, 0, _] => Reach.Forbidden,
        [127, ..] => Reach.Loopback,
        [10, ..] or [172, >= 16 and <= 31, ..] or [192, 168, ..] or [100, >= 64 and <= 127, ..] or [198, 18 or 19, ..] => Reach.Private,
        _ => Reach.Public,
    };
}
