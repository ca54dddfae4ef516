using Dapper;
using Npgsql;
using Vigor.Tests.Usage;

namespace Vigor.Tests.Reports;

/// <summary>Users with hostile emails, two capped providers and ledger rows with known costs, written straight into the database.</summary>
internal static class ReportFixture
{
    public static readonly Guid OpenAi = Guid.Parse("0b000000-0000-0000-0000-000000000001");
    public static readonly Guid Anthropic = Guid.Parse("0b000000-0000-0000-0000-000000000002");
    public static readonly Guid Offline = Guid.Parse("00000000-0000-0000-0000-00000000c0ac");

    public const string FormulaEmail = "=cmd|' /C calc'!A0@evil.example";
    public const string QuotedEmail = "\"=cmd|' /C calc'!A0\",x@evil.example";
    public const string ScriptEmail = "<script>alert(1)</script>@evil.example";

    /// <summary>Providers: "openai main" (daily cap $1, monthly $40) and "anthropic, backup" (monthly cap only).</summary>
    public static async Task InsertProvidersAsync(string connectionString)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.ExecuteAsync("""
            INSERT INTO llm_providers (id, name, kind, model, daily_cap_usd, monthly_cap_usd) VALUES
                (@OpenAi, 'openai main', 'openai', 'gpt-4o-mini', 1.00, 40.00),
                (@Anthropic, 'anthropic, backup', 'anthropic', 'claude-haiku', NULL, 25.00)
            ON CONFLICT (id) DO NOTHING
            """, new { OpenAi, Anthropic });
    }

    /// <summary>Twelve users; the three hostile emails belong to the three biggest spenders, so they reach every top-10 list.</summary>
    public static async Task<List<(Guid Id, string Email)>> InsertUsersAsync(string connectionString, int seed)
    {
        var users = Enumerable.Range(0, 12).Select(i => (Id: new Guid(seed, (short)0x5e, (short)i, [1, 2, 3, 4, 5, 6, 7, 8]), Email: i switch
        {
            0 => FormulaEmail,
            1 => QuotedEmail,
            2 => ScriptEmail,
            _ => $"user{i}-{seed}@example.com",
        })).ToList();
        await using var conn = new NpgsqlConnection(connectionString);
        foreach (var (id, email) in users)
        {
            await conn.ExecuteAsync("""
                INSERT INTO users (id, email, email_normalized, password_hash, birth_year) VALUES (@id, @email, @normalized, 'x', 1990)
                ON CONFLICT (id) DO NOTHING
                """, new { id, email, normalized = $"{seed}:{email}".ToLowerInvariant() });
        }
        return users;
    }

    /// <summary>Reproducible rows from <paramref name="from"/> for <paramref name="days"/> days: providers, fallbacks, cache hits, anonymous rows.</summary>
    public static List<LedgerFixtureRow> Random(int seed, IReadOnlyList<Guid> users, DateTime from, int days, int count)
    {
        var random = new Random(seed);
        string[] tiers = ["free", "premium", "unlimited"];
        string[] features = ["coach_chat", "plan_generation", "workout_analysis"];
        var rows = new List<LedgerFixtureRow>(count);
        while (rows.Count < count)
        {
            var userIndex = random.Next(users.Count);
            Guid? user = random.Next(40) == 0 ? null : users[userIndex];
            var at = from.AddDays(random.Next(days)).AddMilliseconds(random.Next(86_400_000));
            var tier = tiers[userIndex % tiers.Length];
            var feature = features[random.Next(features.Length)];
            if (random.Next(8) == 0)
            {
                rows.Add(new(user, tier, feature, null, "cache", 0, 0, 0, 0m, true, at));
                continue;
            }
            var boost = userIndex < 3 ? 0.05m : 0m;
            var (provider, kind) = random.Next(2) == 0 ? (OpenAi, "openai") : (Anthropic, "anthropic");
            rows.Add(new(user, tier, feature, provider, kind, 1, random.Next(10, 3000), random.Next(0, 800), boost + (random.Next(1, 20_000) / 1_000_000m), false, at));
            if (random.Next(5) == 0)
                rows.Add(new(user, tier, feature, Offline, "offline", 2, 0, 0, 0m, false, at));
        }
        return rows;
    }

    /// <summary>Writes the rows with <see cref="LedgerFixture"/>, then gives each the model its provider kind serves.</summary>
    public static async Task InsertAsync(string connectionString, IReadOnlyList<LedgerFixtureRow> rows)
    {
        await LedgerFixture.InsertAsync(connectionString, rows);
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.ExecuteAsync("""
            UPDATE llm_calls SET model = CASE provider_kind WHEN 'anthropic' THEN 'claude-haiku' WHEN 'offline' THEN 'vigor-rules-1' ELSE 'gpt-4o-mini' END
            WHERE model = 'model-x'
            """);
    }

    public static string ModelOf(LedgerFixtureRow row) => row.ProviderKind switch
    {
        "anthropic" => "claude-haiku",
        "offline" => "vigor-rules-1",
        _ => "gpt-4o-mini",
    };

    public static bool IsRequest(LedgerFixtureRow row) => row.Attempt == 1 || row.CacheHit;
}
