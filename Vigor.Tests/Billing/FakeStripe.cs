using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vigor.Tests.Billing;

/// <summary>
/// A loopback Kestrel app speaking Stripe's wire format for the calls billing makes: form-encoded POSTs to
/// /v1/customers, /v1/checkout/sessions and /v1/billing_portal/sessions, GET /v1/subscriptions/{id}; JSON objects with
/// <c>object</c> and <c>id</c>; errors as <c>{"error":{...}}</c>. It checks the bearer key, honours Idempotency-Key on
/// customer creation, serves the subscriptions a test puts in <see cref="Subscriptions"/> and records every request.
/// </summary>
internal sealed class FakeStripe : IAsyncDisposable
{
    public sealed record Call(string Method, string Path, IReadOnlyDictionary<string, string> Form, string? IdempotencyKey);

    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, JsonObject> customersByKey = new();

    private FakeStripe(WebApplication app) => this.app = app;

    public string ApiKey { get; } = "sk_test_fake_" + Guid.NewGuid().ToString("N");

    public string Url { get; private set; } = "";

    public ConcurrentQueue<Call> Calls { get; } = new();

    /// <summary>What GET /v1/subscriptions/{id} answers; a missing id answers 404 resource_missing.</summary>
    public ConcurrentDictionary<string, JsonObject> Subscriptions { get; } = new();

    /// <summary>While set, every request answers 500 api_error, as during a Stripe incident.</summary>
    public bool Outage { get; set; }

    public IEnumerable<Call> CallsTo(string path) => Calls.Where(c => c.Path == path);

    public static async Task<FakeStripe> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeStripe(app);
        app.Use(async (context, next) =>
        {
            var form = context.Request.HasFormContentType
                ? (await context.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString())
                : new Dictionary<string, string>();
            fake.Calls.Enqueue(new Call(context.Request.Method, context.Request.Path.Value!, form, context.Request.Headers["Idempotency-Key"].FirstOrDefault()));
            if (context.Request.Headers.Authorization.ToString() != "Bearer " + fake.ApiKey)
                await Error(401, "invalid_request_error", null, "Invalid API Key provided.").ExecuteAsync(context);
            else if (fake.Outage)
                await Error(500, "api_error", null, "An unknown error occurred.").ExecuteAsync(context);
            else
                await next(context);
        });
        app.MapPost("/v1/customers", (HttpContext c) => Results.Json(fake.Customer(c)));
        app.MapPost("/v1/checkout/sessions", (HttpContext c) => Results.Json(CheckoutSession(Form(c))));
        app.MapPost("/v1/billing_portal/sessions", (HttpContext c) => Results.Json(PortalSession(Form(c))));
        app.MapGet("/v1/subscriptions/{id}", (string id) => fake.Subscriptions.TryGetValue(id, out var s)
            ? Results.Json(s)
            : Error(404, "invalid_request_error", "resource_missing", $"No such subscription: '{id}'"));
        await app.StartAsync();
        fake.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return fake;
    }

    private static IReadOnlyDictionary<string, string> Form(HttpContext c) => c.Request.Form.ToDictionary(f => f.Key, f => f.Value.ToString());

    private JsonObject Customer(HttpContext c)
    {
        var form = Form(c);
        var create = () => new JsonObject
        {
            ["id"] = StripeIds.New("cus"),
            ["object"] = "customer",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["email"] = form.GetValueOrDefault("email"),
            ["livemode"] = false,
            ["metadata"] = new JsonObject { ["user_id"] = form.GetValueOrDefault("metadata[user_id]") },
        };
        return c.Request.Headers["Idempotency-Key"].FirstOrDefault() is { } key ? customersByKey.GetOrAdd(key, _ => create()) : create();
    }

    private static JsonObject CheckoutSession(IReadOnlyDictionary<string, string> form)
    {
        var id = StripeIds.New("cs_test");
        return new JsonObject
        {
            ["id"] = id,
            ["object"] = "checkout.session",
            ["mode"] = form.GetValueOrDefault("mode"),
            ["status"] = "open",
            ["payment_status"] = "unpaid",
            ["customer"] = form.GetValueOrDefault("customer"),
            ["client_reference_id"] = form.GetValueOrDefault("client_reference_id"),
            ["success_url"] = form.GetValueOrDefault("success_url"),
            ["cancel_url"] = form.GetValueOrDefault("cancel_url"),
            ["url"] = "https://checkout.stripe.com/c/pay/" + id,
            ["livemode"] = false,
            ["expires_at"] = DateTimeOffset.UtcNow.AddHours(24).ToUnixTimeSeconds(),
        };
    }

    private static JsonObject PortalSession(IReadOnlyDictionary<string, string> form) => new()
    {
        ["id"] = StripeIds.New("bps"),
        ["object"] = "billing_portal.session",
        ["customer"] = form.GetValueOrDefault("customer"),
        ["return_url"] = form.GetValueOrDefault("return_url"),
        ["url"] = "https://billing.stripe.com/p/session/test_" + Guid.NewGuid().ToString("N"),
        ["livemode"] = false,
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
    };

    private static IResult Error(int status, string type, string? code, string message)
        => Results.Json(new JsonObject { ["error"] = new JsonObject { ["type"] = type, ["code"] = code, ["message"] = message } }, statusCode: status);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

internal static class StripeIds
{
    public static string New(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 1 + 24)];
}
