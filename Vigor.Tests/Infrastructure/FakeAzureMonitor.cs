using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Vigor.Tests.Infrastructure;

/// <summary>
/// A loopback stand-in for the Application Insights ingestion endpoint (<c>POST v2.1/track</c>, gzip'd JSON lines),
/// so the Azure Monitor exporter can be checked end to end: what it sends, under which names, with which dimensions.
/// </summary>
internal sealed class FakeAzureMonitor : IAsyncDisposable
{
    private readonly ConcurrentQueue<JsonObject> items = new();
    private readonly WebApplication app;

    private FakeAzureMonitor(WebApplication app) => this.app = app;

    /// <summary>What APPLICATIONINSIGHTS_CONNECTION_STRING is set to.</summary>
    public string ConnectionString { get; private set; } = "";

    public IReadOnlyCollection<JsonObject> Items => items;

    public static async Task<FakeAzureMonitor> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddRouting();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeAzureMonitor(app);
        app.MapPost("/v2.1/track", fake.TrackAsync);
        app.MapPost("/v2/track", fake.TrackAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.ConnectionString = $"InstrumentationKey={Guid.NewGuid()};IngestionEndpoint={address}/;LiveEndpoint={address}/";
        return fake;
    }

    /// <summary>Telemetry items of a base type (MetricData, RequestData, MessageData, ...).</summary>
    public IEnumerable<JsonObject> OfType(string baseType)
        => items.Where(i => (string?)i["data"]?["baseType"] == baseType).Select(i => i["data"]!["baseData"]!.AsObject());

    public async Task<bool> WaitForAsync(Func<FakeAzureMonitor, bool> condition, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (!condition(this))
        {
            if (DateTime.UtcNow > until)
                return false;
            await Task.Delay(100);
        }
        return true;
    }

    private async Task<IResult> TrackAsync(HttpRequest request)
    {
        Stream body = request.Body;
        if (request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
            body = new GZipStream(request.Body, CompressionMode.Decompress);
        using var reader = new StreamReader(body);
        var count = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
                continue;
            items.Enqueue(JsonNode.Parse(line)!.AsObject());
            count++;
        }
        return Results.Json(new { itemsReceived = count, itemsAccepted = count, errors = Array.Empty<object>() });
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
