using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.DurableTask.Client;

namespace Vigor.LocalHost;

/// <summary>
/// Calls a function method the way the Functions worker does: a fresh instance per invocation from DI, parameters
/// bound by kind (HttpRequest, FunctionContext, DurableTaskClient, TimerInfo, CancellationToken, route values),
/// wrapped in the same worker middleware (Vigor.Functions' HttpPipeline) for HTTP functions.
/// </summary>
internal sealed class FunctionInvoker(IServiceProvider services)
{
    private readonly IFunctionsWorkerMiddleware[] pipeline = Vigor.Functions.Infrastructure.HttpPipeline.Middleware
        .Select(t => (IFunctionsWorkerMiddleware)services.GetRequiredService(t)).ToArray();

    public async Task InvokeHttpAsync(string name, MethodInfo method, HttpContext http)
    {
        var context = new LocalFunctionContext(name, EntryPoint(method), http.RequestServices, http, http.RequestAborted);
        object? result = null;
        FunctionExecutionDelegate run = async ctx => result = await CallAsync(method, ctx, http, timer: null);
        for (var i = pipeline.Length - 1; i >= 0; i--)
        {
            var middleware = pipeline[i];
            var next = run;
            run = ctx => middleware.Invoke(ctx, next);
        }
        await run(context);
        switch (result)
        {
            case IResult typed:
                await typed.ExecuteAsync(http);
                break;
            case Microsoft.AspNetCore.Mvc.IActionResult action:
                await action.ExecuteResultAsync(new Microsoft.AspNetCore.Mvc.ActionContext(http, http.GetRouteData(), new Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor()));
                break;
        }
    }

    public async Task InvokeTimerAsync(string name, MethodInfo method, TimerInfo timer, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var context = new LocalFunctionContext(name, EntryPoint(method), scope.ServiceProvider, null, ct);
        await CallAsync(method, context, null, timer);
    }

    private static async Task<object?> CallAsync(MethodInfo method, FunctionContext context, HttpContext? http, TimerInfo? timer)
    {
        var ct = context.CancellationToken;
        var args = method.GetParameters().Select(p => Bind(p, context, http, timer, ct)).ToArray();
        var instance = method.IsStatic ? null : ActivatorUtilities.CreateInstance(context.InstanceServices, method.DeclaringType!);
        var returned = method.Invoke(instance, BindingFlags.DoNotWrapExceptions, null, args, null);
        if (returned is not Task task)
            return returned;
        await task;
        return task.GetType().IsGenericType ? task.GetType().GetProperty("Result")!.GetValue(task) : null;
    }

    private static object? Bind(ParameterInfo parameter, FunctionContext context, HttpContext? http, TimerInfo? timer, CancellationToken ct)
    {
        var type = parameter.ParameterType;
        if (type == typeof(HttpRequest))
            return http!.Request;
        if (type == typeof(FunctionContext))
            return context;
        if (type == typeof(CancellationToken))
            return ct;
        if (type == typeof(TimerInfo))
            return timer;
        if (type == typeof(DurableTaskClient))
            return context.InstanceServices.GetRequiredService<DurableTaskClient>();
        // Route values bind as strings, as in the Functions host; functions parse and validate them.
        if (type == typeof(string) && http is not null && http.Request.RouteValues.TryGetValue(parameter.Name!, out var routeValue))
            return routeValue?.ToString();
        return context.InstanceServices.GetService(type)
               ?? throw new InvalidOperationException($"The local host cannot bind parameter '{parameter.Name}' of {parameter.Member.Name}.");
    }

    private static string EntryPoint(MethodInfo method) => $"{method.DeclaringType!.FullName}.{method.Name}";
}
