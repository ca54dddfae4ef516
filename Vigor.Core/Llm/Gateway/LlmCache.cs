using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace Vigor.Core.Llm.Gateway;

/// <summary>
/// Exact-match cache for requests that carry nothing personal: the key is a hash of the feature, the normalised
/// prompt and the output settings, so one user's conversation can never be served to another (personal requests
/// have no key at all). Entries expire after the feature's TTL.
/// </summary>
internal sealed class LlmCache(NpgsqlDataSource dataSource)
{
    public static string Key(string feature, IReadOnlyList<PromptMessage> messages, int maxOutputTokens, bool json)
    {
        var normalised = JsonSerializer.Serialize(new
        {
            feature,
            maxOutputTokens,
            json,
            messages = messages.Select(m => new { role = m.Role, content = string.Join(' ', m.Content.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant() }),
        });
        return feature + ":" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)));
    }

    public async Task<string?> GetAsync(string key, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT response->>'text' FROM llm_cache WHERE key = @key AND expires_at > now()", new { key }, cancellationToken: ct));
    }

    public async Task PutAsync(string key, string feature, string text, TimeSpan ttl, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO llm_cache (key, feature, response, expires_at) VALUES (@key, @feature, jsonb_build_object('text', @text::text), now() + make_interval(secs => @seconds))
            ON CONFLICT (key) DO UPDATE SET response = excluded.response, expires_at = excluded.expires_at
            """, new { key, feature, text, seconds = ttl.TotalSeconds }, cancellationToken: ct));
    }
}
