using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Vigor.Functions.Infrastructure;

/// <summary>An API answers JSON only: nothing may sniff, frame, cache or script it.</summary>
internal sealed class SecurityHeadersMiddleware : IFunctionsWorkerMiddleware
{
    public Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is { } http)
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
            headers["Referrer-Policy"] = "no-referrer";
            headers.CacheControl = "no-store";
            if (http.Request.IsHttps)
                headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
        }
        return next(context);
    }
}
