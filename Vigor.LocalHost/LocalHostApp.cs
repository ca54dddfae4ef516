using Microsoft.DurableTask.Testing;
using Vigor.Core;
using Vigor.Core.Infrastructure.Durable;
using Vigor.Core.Infrastructure.Telemetry;
using Vigor.Functions.Infrastructure;

namespace Vigor.LocalHost;

/// <summary>Builds the local host: the Functions app's DI, middleware and functions on plain ASP.NET Core.</summary>
public static class LocalHostApp
{
    public static WebApplication Build(string[] args, Action<ConfigurationManager>? configure = null)
    {
        // Content root is the build output, so appsettings.json is found whatever the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (builder.Configuration["LocalHost:SecretsFile"] is { Length: > 0 } secretsFile)
            builder.Configuration.AddJsonFile(Path.GetFullPath(secretsFile), optional: false, reloadOnChange: true);
        // The in-process Durable backend dispatches at most 10 work items at once and polls every 500 ms when full
        // (Microsoft.DurableTask.InProcessTestHost); admitting 8 jobs at a time keeps bursts below that cap.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Jobs:MaxInFlight"] = "8" });
        configure?.Invoke(builder.Configuration);
        // Not in appsettings.json: the in-process Durable sidecar reads that file too and would bind the same port.
        if (string.IsNullOrEmpty(builder.Configuration["Urls"]))
            builder.WebHost.UseUrls("http://127.0.0.1:7071");

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 1024 * 1024);
        builder.Services.AddVigorTelemetry(builder.Configuration, TelemetryHost.LocalHost);
        builder.Services.AddVigorCore();
        builder.Services.AddVigorHttpPipeline();
        builder.Services.AddMvcCore();
        builder.Services.AddSingleton<FunctionInvoker>();
        builder.Services.AddSingleton<TimerRunner>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TimerRunner>());
        builder.Services.AddInMemoryDurableTask(tasks => tasks.AddVigorTasks());

        var app = builder.Build();
        app.UseSwaggerUI(ui =>
        {
            ui.RoutePrefix = "api/docs";
            ui.SwaggerEndpoint("/api/openapi.json", "Vigor API");
            ui.DocumentTitle = "Vigor API";
        });
        app.MapVigorFunctions();
        return app;
    }
}
