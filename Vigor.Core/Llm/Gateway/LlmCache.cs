using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;
using Vigor.Core.Infrastructure.Data;

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
        var read = GetStatement(key);
        await PgBatch.ExecuteAsync(dataSource, [read], ct);
        return read.Results.SingleOrDefault()?.Text;
    }

    /// <summary><see cref="GetAsync"/> as a statement for another component's batch (the inline path's reservation).</summary>
    public static PgQuery<Cached> GetStatement(string key) => new("SELECT response->>'text' AS text FROM llm_cache WHERE key = $1 AND expires_at > now()", key);

    /// <summary>A cached answer.</summary>
    public sealed class Cached
    {
        public string? Text { get; init; }
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
