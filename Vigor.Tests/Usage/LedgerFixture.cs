using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using Vigor.Core.Usage.Rollups;
using Vigor.Tests.Support;

namespace Vigor.Tests.Usage;

internal sealed record LedgerFixtureRow(
    Guid? UserId, string Tier, string Feature, Guid? ProviderId, string ProviderKind, int Attempt, int InputTokens, int OutputTokens,
    decimal CostUsd, bool CacheHit, DateTime CreatedAt, string? JobId = null);

/// <summary>Ledger rows written straight into <c>llm_calls</c>, and the same totals computed by SQL for comparison.</summary>
internal static class LedgerFixture
{
    public static readonly Guid OpenAi = Guid.Parse("0a000000-0000-0000-0000-000000000001");
    public static readonly Guid Anthropic = Guid.Parse("0a000000-0000-0000-0000-000000000002");
    public static readonly Guid Offline = Guid.Parse("00000000-0000-0000-0000-00000000c0ac");

    public static async Task InsertAsync(string connectionString, IEnumerable<LedgerFixtureRow> rows)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var copy = await conn.BeginBinaryImportAsync("""
            COPY llm_calls (job_id, attempt, user_id, tier, feature, provider_id, provider_kind, model, input_tokens, output_tokens,
                            cost_usd, latency_ms, outcome, cache_hit, created_at) FROM STDIN (FORMAT BINARY)
            """);
        foreach (var row in rows)
        {
            await copy.StartRowAsync();
            await copy.WriteAsync(row.JobId ?? Guid.NewGuid().ToString("N"), NpgsqlDbType.Text);
            await copy.WriteAsync(row.Attempt, NpgsqlDbType.Integer);
            await WriteNullableAsync(copy, row.UserId);
            await copy.WriteAsync(row.Tier, NpgsqlDbType.Text);
            await copy.WriteAsync(row.Feature, NpgsqlDbType.Text);
            await WriteNullableAsync(copy, row.ProviderId);
            await copy.WriteAsync(row.ProviderKind, NpgsqlDbType.Text);
            await copy.WriteAsync("model-x", NpgsqlDbType.Text);
            await copy.WriteAsync(row.InputTokens, NpgsqlDbType.Integer);
            await copy.WriteAsync(row.OutputTokens, NpgsqlDbType.Integer);
            await copy.WriteAsync(row.CostUsd, NpgsqlDbType.Numeric);
            await copy.WriteAsync(100, NpgsqlDbType.Integer);
            await copy.WriteAsync(row.Attempt == 2 ? "error" : "ok", NpgsqlDbType.Text);
            await copy.WriteAsync(row.CacheHit, NpgsqlDbType.Boolean);
            await copy.WriteAsync(row.CreatedAt, NpgsqlDbType.TimestampTz);
        }
        await copy.CompleteAsync();
    }

    /// <summary>Random but reproducible rows: users over tiers, providers (and cache hits), features, days around a month end.</summary>
    public static List<LedgerFixtureRow> Random(int seed, int count, int users, DateTime firstDay, int days)
    {
        var random = new Random(seed);
        var userIds = Enumerable.Range(0, users).Select(i => new Guid(i + 1, 0, 0, [.. BitConverter.GetBytes((long)seed)])).ToList();
        string[] tiers = ["free", "premium", "unlimited"];
        string[] features = ["coach_chat", "plan_generation", "workout_analysis"];
        var rows = new List<LedgerFixtureRow>(count);
        while (rows.Count < count)
        {
            var user = random.Next(users);
            var at = firstDay.AddDays(random.Next(days)).AddSeconds(random.Next(86_400));
            var job = Guid.NewGuid().ToString("N");
            var tier = tiers[user % tiers.Length];
            var feature = features[random.Next(features.Length)];
            if (random.Next(10) == 0)
            {
                rows.Add(new(userIds[user], tier, feature, null, "cache", 0, 0, 0, 0, true, at, job));
                continue;
            }
            var attempts = random.Next(4) == 0 ? 2 : 1;
            for (var attempt = 1; attempt <= attempts; attempt++)
            {
                var provider = attempt == 2 ? Offline : random.Next(2) == 0 ? OpenAi : Anthropic;
                var cost = provider == Offline ? 0m : random.Next(1, 20_000) / 1_000_000m;
                rows.Add(new(random.Next(50) == 0 ? null : userIds[user], tier, feature, provider, provider == Offline ? "offline" : "openai",
                    attempt, random.Next(10, 3000), random.Next(0, 800), cost, false, at, job));
            }
        }
        return rows;
    }

    /// <summary>The rollups as GROUP BY over the ledger: per (day, month) × (global, user, tier, provider, feature).</summary>
    public static async Task<SortedDictionary<string, RollupTotals>> SqlTotalsAsync(string connectionString)
    {
        string[] windows = ["'d:' || to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')", "'m:' || to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM')"];
        string[] scopes =
        [
            "'global'", "'tier:' || tier", "'feature:' || feature",
            "'provider:' || coalesce(replace(provider_id::text, '-', ''), provider_kind)", "'user:' || replace(user_id::text, '-', '')",
        ];
        var totals = new SortedDictionary<string, RollupTotals>(StringComparer.Ordinal);
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        foreach (var window in windows)
        {
            foreach (var scope in scopes)
            {
                await using var cmd = new NpgsqlCommand($"""
                    SELECT {window}, {scope}, count(*) FILTER (WHERE attempt = 1 OR cache_hit), count(*) FILTER (WHERE NOT cache_hit),
                           sum(input_tokens), sum(output_tokens), (sum(cost_usd) * 1000000)::bigint
                    FROM llm_calls GROUP BY 1, 2 HAVING {scope} IS NOT NULL
                    """, conn);
                await using var reader = await cmd.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                    totals[reader.GetString(0) + "/" + reader.GetString(1)] = new(reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6));
            }
        }
        return totals;
    }

    /// <summary>Every rollup row in Table Storage (user buckets unpacked), keyed like <see cref="SqlTotalsAsync"/>; no markers, no checkpoint.</summary>
    public static async Task<SortedDictionary<string, RollupTotals>> RollupTotalsAsync(IServiceProvider services)
    {
        var client = await services.GetRequiredService<RollupTable>().GetAsync();
        var totals = new SortedDictionary<string, RollupTotals>(StringComparer.Ordinal);
        await foreach (var entity in client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey lt {"~"} and PartitionKey ne {"checkpoint"}")))
        {
            if (RollupEntity.IsUserBucket(entity.RowKey))
            {
                foreach (var (user, userTotals) in RollupEntity.Users(entity))
                    totals.Add(entity.PartitionKey + "/" + RollupScopes.User(user), userTotals);
            }
            else
            {
                totals[entity.PartitionKey + "/" + entity.RowKey] = RollupEntity.Totals(entity);
            }
        }
        return totals;
    }

    public static void AssertSame(SortedDictionary<string, RollupTotals> expected, SortedDictionary<string, RollupTotals> actual)
    {
        var differences = expected.Keys.Union(actual.Keys)
            .Where(k => expected.GetValueOrDefault(k) != actual.GetValueOrDefault(k))
            .Take(5)
            .Select(k => $"{k}: expected {expected.GetValueOrDefault(k)}, got {actual.GetValueOrDefault(k)}")
            .ToList();
        Assert.IsEmpty(differences, string.Join(Environment.NewLine, differences));
        Assert.HasCount(expected.Count, actual);
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter copy, Guid? value)
    {
        if (value is { } id)
            await copy.WriteAsync(id, NpgsqlDbType.Uuid);
        else
            await copy.WriteNullAsync();
    }
}
