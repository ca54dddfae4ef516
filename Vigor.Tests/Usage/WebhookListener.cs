using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vigor.Tests.Usage;

/// <summary>A loopback Kestrel endpoint standing in for a Teams/Slack incoming webhook: keeps every body it gets.</summary>
internal sealed class WebhookListener : IAsyncDisposable
{
    private readonly WebApplication app;

    private WebhookListener(WebApplication app, Uri url)
    {
        this.app = app;
        Url = url;
    }

    public Uri Url { get; }

    public ConcurrentQueue<(string ContentType, string Body)> Received { get; } = new();

    /// <summary>What the next requests answer (200 by default).</summary>
    public int Status { get; set; } = StatusCodes.Status200OK;

    public static async Task<WebhookListener> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        WebhookListener? listener = null;
        app.MapPost("/hook/{token}", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            listener!.Received.Enqueue((request.ContentType ?? "", await reader.ReadToEndAsync()));
            return Results.StatusCode(listener.Status);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        listener = new WebhookListener(app, new Uri(address + "/hook/secret-token"));
        return listener;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
