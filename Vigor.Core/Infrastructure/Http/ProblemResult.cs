using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Vigor.Core.Infrastructure.Http;

/// <summary>
/// RFC 9457 problem answer with a stable <c>code</c>, the request's correlation id and, for 429/503, a
/// <c>Retry-After</c> header. Written the same way in the Functions host and the local host.
/// </summary>
public sealed class ProblemResult(ProblemDetails problem, TimeSpan? retryAfter = null) : IResult, IStatusCodeHttpResult
{
    public ProblemDetails Problem { get; } = problem;

    public int? StatusCode => Problem.Status;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        if (httpContext.Items.TryGetValue(HttpContextKeys.CorrelationId, out var id) && id is string correlationId)
            Problem.Extensions["correlationId"] = correlationId;
        if (retryAfter is { } wait)
            httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        httpContext.Response.StatusCode = Problem.Status ?? 500;
        await httpContext.Response.WriteAsJsonAsync(Problem, Problem.GetType(), VigorJson.Options, "application/problem+json", httpContext.RequestAborted);
    }
}
