using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Vigor.Core.Infrastructure.Telemetry;

public enum TelemetryHost
{
    /// <summary>The Azure Functions worker: the Functions host records requests and forwards logs (host.json levels and sampling).</summary>
    Functions,

    /// <summary>Vigor.LocalHost: serves the requests itself, so it records them and exports its own logs.</summary>
    LocalHost,
}

public static class TelemetryRegistration
{
    /// <summary>
    /// OpenTelemetry for the <see cref="VigorMetrics.MeterName"/> meter, ASP.NET Core and outgoing HTTP, exported to
    /// Azure Monitor when APPLICATIONINSIGHTS_CONNECTION_STRING is set and to the console with Telemetry:Console=true.
    /// Without either nothing is registered: the meter still works in process (tests, dotnet-counters).
    /// </summary>
    public static IServiceCollection AddVigorTelemetry(this IServiceCollection services, IConfiguration configuration, TelemetryHost host)
    {
        var connectionString = configuration[TelemetryOptions.ConnectionStringSetting];
        var azureMonitor = !string.IsNullOrWhiteSpace(connectionString);
        var telemetry = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>();
        var console = telemetry?.Console ?? false;
        if (!azureMonitor && !console)
            return services;

        var credential = ExporterCredential(configuration[TelemetryOptions.AuthenticationStringSetting]);
        void AzureMonitor(AzureMonitorExporterOptions options)
        {
            options.ConnectionString = connectionString;
            options.Credential = credential;
            if (telemetry?.SamplingRatio is { } ratio)
            {
                options.SamplingRatio = ratio;
                options.TracesPerSecond = null;
            }
        }

        // Azure Monitor shows service.name as the cloud role; in Azure it matches the Functions host's (the site name).
        var serviceName = configuration["WEBSITE_SITE_NAME"] is { Length: > 0 } site ? site : host == TelemetryHost.Functions ? "vigor-functions" : "vigor-localhost";
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceVersion: typeof(VigorMetrics).Assembly.GetName().Version?.ToString()))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(VigorMetrics.MeterName).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (azureMonitor)
                    metrics.AddAzureMonitorMetricExporter(AzureMonitor);
                if (console)
                    metrics.AddConsoleExporter();
            })
            .WithTracing(tracing =>
            {
                // In Azure the Functions host records each request (sampled per host.json); server spans from the
                // worker's own ASP.NET Core hop would count every request twice in the `requests` table.
                if (host == TelemetryHost.LocalHost)
                    tracing.AddAspNetCoreInstrumentation();
                tracing.AddHttpClientInstrumentation();
                if (azureMonitor)
                    tracing.AddAzureMonitorTraceExporter(AzureMonitor);
                if (console)
                    tracing.AddConsoleExporter();
            });

        // The Functions host already ships the worker's logs (with host.json's levels and sampling); only the local
        // host exports its logs itself. Scopes carry the correlation id.
        if (host == TelemetryHost.LocalHost && azureMonitor)
        {
            otel.WithLogging(
                logging => logging.AddAzureMonitorLogExporter(AzureMonitor),
                options => options.IncludeScopes = true);
        }
        return services;
    }

    // APPLICATIONINSIGHTS_AUTHENTICATION_STRING is read by the Functions host but not by the OpenTelemetry exporter.
    private static TokenCredential? ExporterCredential(string? authentication)
    {
        if (string.IsNullOrWhiteSpace(authentication) || !authentication.Contains("Authorization=AAD", StringComparison.OrdinalIgnoreCase))
            return null;
        var clientId = authentication.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2 && pair[0].Equals("ClientId", StringComparison.OrdinalIgnoreCase))
            .Select(pair => pair[1])
            .FirstOrDefault();
        return new ManagedIdentityCredential(clientId is { Length: > 0 } ? ManagedIdentityId.FromUserAssignedClientId(clientId) : ManagedIdentityId.SystemAssigned);
    }
}
