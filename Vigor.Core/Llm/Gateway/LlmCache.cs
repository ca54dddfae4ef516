using System.Collections.Concurrent;
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
/// The instance also remembers the entries it served or stored (<see cref="Recall"/>), so the next hit on one of them can
/// skip the read and commit everything in one batch; the database still decides (<see cref="HitGuardStatement"/>), so a
/// remembered entry that expired or changed is never served.
/// </summary>
internal sealed class LlmCache(NpgsqlDataSource dataSource, TimeProvider time, Microsoft.Extensions.Options.IOptions<LlmOptions> options)
{
    /// <summary>How many entries an instance remembers; past it, it starts over (entries are a plan's text, a few KB).</summary>
    internal const int MaxRemembered = 1024;

    /// <summary>SQLSTATEs of <see cref="HitGuardStatement"/>: the quota refused the request; the entry expired or changed.</summary>
    internal const string QuotaRefused = "VG001", EntryChanged = "VG002";

    private readonly ConcurrentDictionary<string, Remembered> remembered = new();

    /// <summary>An entry this instance served or stored: its text, the text's SHA-256 (lowercase hex, as the guard computes it) and until when.</summary>
    internal sealed record Remembered(string Text, string Sha256, DateTimeOffset Until);

    public static string Key(string feature, IReadOnlyList<PromptMessage> messages, int maxOutputTokens, bool json)
    {
        // The bytes JsonSerializer gave for {feature, maxOutputTokens, json, messages: [{role, content}]} with default
        // options (the writer's default encoder is the serializer's), written straight into one buffer: the keys of
        // entries already stored stay valid. Content is normalised: whitespace runs to one space, trimmed, lower case.
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("feature", feature);
            writer.WriteNumber("maxOutputTokens", maxOutputTokens);
            writer.WriteBoolean("json", json);
            writer.WriteStartArray("messages");
            var collapsed = new StringBuilder();
            foreach (var m in messages)
            {
                writer.WriteStartObject();
                writer.WriteString("role", m.Role);
                writer.WriteString("content", Collapse(m.Content, collapsed).ToLowerInvariant());
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return feature + ":" + Convert.ToHexString(SHA256.HashData(buffer.WrittenSpan));
    }

    /// <summary>string.Join(' ', text.Split(null, RemoveEmptyEntries)) without the pieces: runs of whitespace become one space.</summary>
    private static string Collapse(string text, StringBuilder into)
    {
        into.Clear();
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = into.Length > 0;
                continue;
            }
            if (space)
                into.Append(' ');
            space = false;
            into.Append(c);
        }
        return into.ToString();
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

    /// <summary>Remembers an entry read from or written to the database, for at most <paramref name="ttl"/> (the cache's TTL).</summary>
    public void Remember(string key, string text, TimeSpan? ttl = null)
    {
        if (remembered.Count >= MaxRemembered)
            remembered.Clear();
        remembered[key] = new Remembered(text, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))), time.GetUtcNow() + (ttl ?? options.Value.CacheTtl));
    }

    /// <summary>The entry remembered for <paramref name="key"/>, unless its time is up.</summary>
    public Remembered? Recall(string key)
    {
        if (!remembered.TryGetValue(key, out var entry))
            return null;
        if (entry.Until > time.GetUtcNow())
            return entry;
        remembered.TryRemove(new KeyValuePair<string, Remembered>(key, entry));
        return null;
    }

    public void Forget(string key) => remembered.TryRemove(key, out _);

    /// <summary>
    /// Stops its batch (SQLSTATE <see cref="QuotaRefused"/> or <see cref="EntryChanged"/>, the transaction rolls back)
    /// unless the operation whose marker is given applied and the entry is still <paramref name="entry"/> (migration 0025).
    /// </summary>
    public static PgStatement HitGuardStatement(string key, Remembered entry, string quotaPartition, string quotaMarker)
        => new("SELECT llm_cache_hit_guard($1, $2, $3, $4)", quotaPartition, quotaMarker, key, entry.Sha256);

    public async Task PutAsync(string key, string feature, string text, TimeSpan ttl, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO llm_cache (key, feature, response, expires_at) VALUES (@key, @feature, jsonb_build_object('text', @text::text), now() + make_interval(secs => @seconds))
            ON CONFLICT (key) DO UPDATE SET response = excluded.response, expires_at = excluded.expires_at
            """, new { key, feature, text, seconds = ttl.TotalSeconds }, cancellationToken: ct));
        Remember(key, text, ttl);
    }
}
