using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vigor.Core.Infrastructure.Secrets;
using Vigor.Tests.Llm;
using Vigor.Tests.Support;

namespace Vigor.Tests.Usage;

/// <summary>AI requests through the whole gateway (coach chat), answered by a loopback fake of the OpenAI API.</summary>
internal static class AiCallKit
{
    public static async Task<Guid> AddProviderAsync(TestHost host, FakeLlmServer fake, decimal inPrice, decimal outPrice, string name = "fake-openai")
    {
        var id = Guid.NewGuid();
        await using (var conn = new NpgsqlConnection(host.ConnectionString))
        {
            await conn.ExecuteAsync("""
                INSERT INTO llm_providers (id, name, kind, endpoint, model, priority, input_price_per_million, output_price_per_million, timeout_seconds, has_secret)
                VALUES (@id, @name, 'openai', @endpoint, 'gpt-4o-mini', 10, @inPrice, @outPrice, 3, true)
                """, new { id, name, endpoint = new Uri(fake.BaseUri, "v1").ToString(), inPrice, outPrice });
        }
        await host.Services.GetRequiredService<ISecretStore>().SetAsync("llm-provider-" + id.ToString("N"), FakeLlmServer.ApiKey, CancellationToken.None);
        return id;
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> AskAsync(TestHost host, Session user, string message)
    {
        var response = await host.SendAsync(HttpMethod.Post, "/api/coach/messages", user.AccessToken, new { message });
        await host.SettledAsync();
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
    }

    public static async Task<JsonElement> GetJsonAsync(TestHost host, string path, string token)
    {
        var response = await host.SendAsync(HttpMethod.Get, path, token);
        var text = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, text);
        return JsonDocument.Parse(text).RootElement;
    }

    public static async Task<List<(string Tier, int Attempt, bool CacheHit, decimal Cost)>> LedgerAsync(TestHost host, Guid userId)
    {
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        return (await conn.QueryAsync<(string, int, bool, decimal)>(
            "SELECT tier, attempt, cache_hit, cost_usd FROM llm_calls WHERE user_id = @userId ORDER BY id", new { userId })).AsList();
    }
}
