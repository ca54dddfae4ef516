using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vigor.Tests.Support;

namespace Vigor.Tests.Admin;

/// <summary>Bodies and calls shared by the admin provider tests.</summary>
internal static class AdminProviderTestKit
{
    public const string OfflineId = "00000000-0000-0000-0000-00000000c0ac";

    public static JsonObject Body(string name, string kind = "openai-compatible", string? endpoint = "https://llm.example.com/v1") => new()
    {
        ["name"] = name,
        ["kind"] = kind,
        ["endpoint"] = endpoint,
        ["model"] = "llama-3.1-8b",
        ["priority"] = 20,
        ["enabled"] = true,
        ["tiers"] = new JsonArray("premium", "unlimited"),
        ["inputPricePerMillion"] = 0.15,
        ["outputPricePerMillion"] = 0.60,
        ["timeoutSeconds"] = 20,
        ["dailyCapUsd"] = 5,
        ["monthlyCapUsd"] = null,
    };

    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..30];

    public static async Task<(HttpStatusCode Status, JsonElement Body, string Text)> SendAsync(TestHost host, HttpMethod method, string path, string token, JsonNode? body = null)
    {
        var request = TestHost.Request(method, path, token, body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var response = await host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement, text);
    }

    public static async Task<JsonElement> CreateAsync(TestHost host, string token, JsonObject body)
    {
        var (status, json, text) = await SendAsync(host, HttpMethod.Post, "/api/admin/providers", token, body);
        Assert.AreEqual(HttpStatusCode.Created, status, text);
        return json;
    }

    public static async Task<List<JsonElement>> AuditAsync(TestHost host, string token, string target)
    {
        var page = await host.Client.SendAsync(TestHost.Request(HttpMethod.Get, "/api/admin/audit?limit=100", token));
        var items = (await page.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items");
        return items.EnumerateArray().Where(e => e.GetProperty("target").GetString() == target).ToList();
    }
}
