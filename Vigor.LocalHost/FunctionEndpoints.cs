using Vigor.Functions.Infrastructure;

namespace Vigor.LocalHost;

internal static class FunctionEndpoints
{
    /// <summary>
    /// One endpoint per HTTP function of Vigor.Functions, at the route of its [HttpTrigger] (host.json's routePrefix is
    /// empty and every route starts with "api/"), and the host's admin endpoint that runs a timer function now.
    /// </summary>
    public static WebApplication MapVigorFunctions(this WebApplication app)
    {
        foreach (var function in FunctionCatalog.Http)
        {
            app.MapMethods("/" + function.Route, function.Methods,
                    (HttpContext http, FunctionInvoker invoker) => invoker.InvokeHttpAsync(function.Name, function.Method, http))
                .WithDisplayName(function.Name);
        }

        app.MapPost("/admin/functions/{name}", async (string name, TimerRunner timers, CancellationToken ct) =>
            await timers.RunNowAsync(name, ct) ? Results.Accepted() : Results.NotFound());
        return app;
    }
}
