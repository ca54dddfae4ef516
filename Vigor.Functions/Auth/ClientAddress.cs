using Microsoft.AspNetCore.Http;
using Vigor.Core.Auth;

namespace Vigor.Functions.Auth;

internal static class ClientAddress
{
    /// <summary>The client's address for throttling: the trusted front end's header when configured, else the socket's.</summary>
    public static string Of(HttpRequest request, ThrottleOptions options)
    {
        if (!string.IsNullOrEmpty(options.ClientAddressHeader)
            && request.Headers[options.ClientAddressHeader].ToString() is { Length: > 0 } forwarded)
        {
            var first = forwarded.Split(',')[0].Trim();
            if (first.Length is > 0 and <= 64)
                return first;
        }
        return request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }
}
