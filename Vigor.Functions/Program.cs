using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Vigor.Core;
using Vigor.Core.Infrastructure.Telemetry;
using Vigor.Functions.Infrastructure;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddVigorTelemetry(builder.Configuration, TelemetryHost.Functions);
builder.Services.AddVigorCore();
builder.Services.AddVigorHttpPipeline();
foreach (var middleware in HttpPipeline.Middleware)
    builder.Use(next => context => ((IFunctionsWorkerMiddleware)context.InstanceServices.GetRequiredService(middleware)).Invoke(context, next));
builder.Build().Run();
