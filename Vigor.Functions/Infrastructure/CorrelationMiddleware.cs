using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;
using Vigor.Core.Infrastructure.Http;

namespace Vigor.Functions.Infrastructure;

/// <summary>
/// Takes the caller's <c>X-Correlation-Id</c> when it is well formed (else makes one), echoes it on the answer,
/// puts it into problem bodies and into the logging scope of the invocation.
/// </summary>
internal sealed partial class CorrelationMiddleware(ILogger<CorrelationMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public const string Header = "X-Correlation-Id";

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.GetHttpContext();
        if (http is null)
        {
            await next(context);
            return;
        }
        var offered = http.Request.Headers[Header].ToString();
        var id = offered.Length is > 0 and <= 64 && SafeId().IsMatch(offered) ? offered : Guid.NewGuid().ToString("N");
        http.Items[HttpContextKeys.CorrelationId] = id;
        http.Response.Headers[Header] = id;
        using (logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = id }))
            await next(context);
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex SafeId();
}
