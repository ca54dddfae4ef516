using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;
using Vigor.Core.Infrastructure.Http;

namespace Vigor.Functions.Infrastructure;

/// <summary>Outermost: anything an HTTP function throws becomes a ProblemDetails answer without internals.</summary>
internal sealed partial class ErrorMiddleware(ILogger<ErrorMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (context.GetHttpContext() is { Response.HasStarted: false } http)
        {
            if (e is OperationCanceledException && http.RequestAborted.IsCancellationRequested)
                return; // the client went away; nobody is listening for an answer
            ProblemResult problem;
            if (e is BadHttpRequestException bad)
            {
                problem = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? Problems.Create(413, "payload_too_large", "The body is too large.")
                    : Problems.Create(400, "bad_request", "The request could not be read.");
            }
            else
            {
                LogUnhandled(logger, e, context.FunctionDefinition.Name);
                problem = Problems.Internal();
            }
            await problem.ExecuteAsync(http);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Function {FunctionName} failed")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string functionName);
}
