using System.Globalization;
using System.Net;
using System.Net.Sockets;
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
        // The in-process Durable backend (Microsoft.DurableTask.InProcessTestHost) runs at most ProcessorCount
        // orchestration and ProcessorCount activity work items at once, and when that many run it sleeps 500 ms
        // before looking again. A job has one work item at a time, so admitting ProcessorCount - 1 jobs keeps it
        // below the cap and a burst queues in arrival order instead of stalling. scripts/run.sh and scripts/test.sh
        // raise the count with DOTNET_PROCESSOR_COUNT, since the jobs mostly wait on I/O.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Jobs:MaxInFlight"] = Math.Max(1, Environment.ProcessorCount - 1).ToString(CultureInfo.InvariantCulture),
        });
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
        // A free port for the Durable sidecar: its default is a random one in 30000-40000, which two hosts in one
        // test run can draw alike.
        builder.Services.AddInMemoryDurableTask(tasks => tasks.AddVigorTasks(), new InMemoryDurableTaskOptions { Port = FreeLoopbackPort() });

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

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
