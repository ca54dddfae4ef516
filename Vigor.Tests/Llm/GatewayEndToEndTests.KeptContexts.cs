using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vigor.Core.Llm.Gateway;
using Vigor.Core.Usage;
using Vigor.Tests.Support;

namespace Vigor.Tests.Llm;

/// <summary>
/// A remembered cache hit built from what the instance kept of the user (LlmHitContexts): one round trip, with a guard
/// (migration 0028) that stops the batch unless the user's row, the profile and the tier are still the versions read.
/// Every change below is made by plain SQL, which no in-process code sees: the instance hears it by notification (migration
/// 0030), and the guard stops a batch built before that (HitContextGuard_PassesOnlyForTheVersionsRead tests it directly).
/// </summary>
public sealed partial class GatewayEndToEndTests
{
    private static LlmHitContexts Kept => host.Services.GetRequiredService<LlmHitContexts>();

    private static async Task<long> RequestsTodayAsync(Guid userId)
    {
        // What quota leases hold and no request used goes back first (QuotaLeases).
        await host.CountersSettledAsync();
        var now = DateTimeOffset.UtcNow;
        var counters = await host.Services.GetRequiredService<ICounterStore>().GetAsync(
            UsageKeys.User(userId), [UsageKeys.RequestsDay(now)], CancellationToken.None);
        return counters.GetValueOrDefault(UsageKeys.RequestsDay(now));
    }

    private static async Task<List<(string Tier, string ProviderKind)>> LedgerTiersAsync(Guid userId)
    {
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        return (await conn.QueryAsync<(string, string)>("SELECT tier, provider_kind FROM llm_calls WHERE user_id = @userId ORDER BY id", new { userId })).AsList();
    }

    /// <summary>A profiled user whose first plan request was a hit on the model's cached plan, and what the instance kept of them.</summary>
    private static async Task<(Session User, LlmHitContexts.Context Kept)> KeptAfterOneHitAsync()
    {
        await CachedPlanFromTheModelAsync();
        var user = await ProfiledUserAsync();
        Assert.AreEqual("cache", (await GeneratePlanAsync(user)).GetProperty("source").GetString());
        var kept = Kept.Get(user.UserId);
        Assert.IsNotNull(kept, "the request kept what it read");
        return (user, kept);
    }

    private static async Task SqlAsync(string sql, object args)
    {
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        await conn.ExecuteAsync(sql, args);
    }

    /// <summary>
    /// Waits until the instance heard every notification on the kept contexts' channel (migration 0030) sent before this
    /// call: one heard after the user's next request would drop the entry that request kept, which the tests then read.
    /// PostgreSQL delivers a channel's notifications in commit order, so once a marker sent now (a user id no one has) is
    /// heard, so are the others.
    /// </summary>
    private static async Task ContextChangesHeardAsync()
    {
        var marker = Guid.NewGuid();
        var before = Kept.Begin(marker).Stripe;
        await SqlAsync("SELECT pg_notify(@channel, @marker)", new { channel = LlmHitContexts.ContextChannel, marker = marker.ToString() });
        for (var waited = 0; Kept.Begin(marker).Stripe == before && waited < 10_000; waited += 5)
            await Task.Delay(5);
    }

    [TestMethod]
    public async Task GeneratePlan_KeptContext_NextHitIsServedFromIt_CountedAndWrittenAsAnyHit()
    {
        await CachedPlanFromTheModelAsync();
        var user = await ProfiledUserAsync();

        var first = await GeneratePlanAsync(user);
        var kept = Kept.Get(user.UserId);
        var second = await GeneratePlanAsync(user);
        var plan = await host.SendAsync(HttpMethod.Get, $"/api/workouts/plans/{second.GetProperty("id").GetString()}", user.AccessToken);
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        var jobIds = (await conn.QueryAsync<string>("SELECT job_id FROM llm_calls WHERE user_id = @id ORDER BY id", new { id = user.UserId })).AsList();
        var job = await host.SendAsync(HttpMethod.Get, $"/api/jobs/{jobIds[^1]}", user.AccessToken);

        Assert.AreEqual("cache", first.GetProperty("source").GetString(), first.ToString());
        Assert.AreEqual("cache", second.GetProperty("source").GetString(), second.ToString());
        Assert.IsNotNull(kept, "the first request kept what it read");
        Assert.AreSame(kept, Kept.Get(user.UserId), "nothing was read again");
        Assert.AreEqual(1, kept.Served, "the second request was answered from what was kept");
        Assert.AreEqual(2, await RequestsTodayAsync(user.UserId));
        CollectionAssert.AreEqual(new[] { ("cache", "ok"), ("cache", "ok") }, (await LedgerAsync(user.UserId)).Select(l => (l.ProviderKind, l.Outcome)).ToArray());
        Assert.AreEqual(HttpStatusCode.OK, plan.StatusCode, "the plan is saved");
        Assert.AreEqual(HttpStatusCode.OK, job.StatusCode, "the job is the caller's");
        StringAssert.Contains((await job.Content.ReadAsStringAsync()).ToLowerInvariant(), "\"completed\"");
    }

    [TestMethod]
    public async Task GeneratePlan_KeptContext_ProfileChangedBySql_BuiltFromTheNewProfile_CountedOnce()
    {
        var (user, old) = await KeptAfterOneHitAsync();

        await SqlAsync("UPDATE profiles SET equipment = '{barbell,bench}' WHERE user_id = @id", new { id = user.UserId });
        await ContextChangesHeardAsync();
        var after = await GeneratePlanAsync(user);
        var renewed = Kept.Get(user.UserId);

        Assert.AreNotEqual("cache", after.GetProperty("source").GetString(), "the plan cached for the old equipment is not this profile's: " + after);
        Assert.AreEqual(0, old.Served, "the guard stopped the batch built from the old profile");
        CollectionAssert.AreEquivalent(new[] { "barbell", "bench" }, renewed!.Me.Profile.Equipment!.ToArray(), "read again");
        Assert.AreEqual(2, await RequestsTodayAsync(user.UserId), "the stopped batch counted nothing");
        Assert.AreEqual("cache", (await LedgerAsync(user.UserId))[0].ProviderKind);
        Assert.IsFalse((await LedgerAsync(user.UserId)).Skip(1).Any(l => l.ProviderKind == "cache"), "no hit was recorded for the stopped batch");
    }

    [TestMethod]
    public async Task GeneratePlan_KeptContext_UserTierChangedBySql_TheHitIsTheNewTiers()
    {
        var (user, old) = await KeptAfterOneHitAsync();
        var other = old.Tier.Name == "premium" ? "unlimited" : "premium";

        await SqlAsync("UPDATE users SET tier = @other WHERE id = @id", new { other, id = user.UserId });
        await ContextChangesHeardAsync();
        var after = await GeneratePlanAsync(user);

        Assert.AreEqual("cache", after.GetProperty("source").GetString(), after.ToString());
        Assert.AreEqual(0, old.Served);
        Assert.AreEqual(other, Kept.Get(user.UserId)!.Tier.Name);
        CollectionAssert.AreEqual(new[] { (old.Tier.Name, "cache"), (other, "cache") }, (await LedgerTiersAsync(user.UserId)).ToArray(),
            "the second hit is recorded under the tier the user has now");
        Assert.AreEqual(2, await RequestsTodayAsync(user.UserId));
    }

    [TestMethod]
    public async Task GeneratePlan_KeptContext_TierRowRewrittenBySql_IsReadAgain()
    {
        var (user, old) = await KeptAfterOneHitAsync();

        // A new version of the row with the same values: the guard cannot tell, so it stops the batch and the tier is read again.
        await SqlAsync("UPDATE tiers SET name = name WHERE name = @tier", new { tier = old.Tier.Name });
        await ContextChangesHeardAsync();
        var after = await GeneratePlanAsync(user);

        Assert.AreEqual("cache", after.GetProperty("source").GetString(), after.ToString());
        Assert.AreEqual(0, old.Served);
        Assert.AreNotEqual(old.Versions.Tier, Kept.Get(user.UserId)!.Versions.Tier);
        Assert.AreEqual(2, await RequestsTodayAsync(user.UserId));
    }

    [TestMethod]
    public async Task HitContextGuard_PassesOnlyForTheVersionsRead()
    {
        var user = await host.RegisterAsync();
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        await conn.OpenAsync();
        await conn.ExecuteAsync("DELETE FROM profiles WHERE user_id = @id", new { id = user.UserId });
        async Task<string?> GuardAsync(long userVersion, long? profileVersion, string tier, long tierVersion)
        {
            try
            {
                await conn.ExecuteAsync("SELECT llm_hit_context_guard(@id, @userVersion, @profileVersion, @tier, @tierVersion)",
                    new { id = user.UserId, userVersion, profileVersion, tier, tierVersion });
                return null;
            }
            catch (PostgresException e)
            {
                return e.SqlState;
            }
        }
        var (userVersion, tierName, tierVersion) = await conn.QuerySingleAsync<(long, string, long)>(
            "SELECT u.xmin::text::bigint, u.tier, t.xmin::text::bigint FROM users u JOIN tiers t ON t.name = u.tier WHERE u.id = @id", new { id = user.UserId });

        Assert.IsNull(await GuardAsync(userVersion, null, tierName, tierVersion), "no profile, as read");
        Assert.AreEqual("VG003", await GuardAsync(userVersion + 1, null, tierName, tierVersion));
        Assert.AreEqual("VG003", await GuardAsync(userVersion, null, tierName, tierVersion + 1));
        Assert.AreEqual("VG003", await GuardAsync(userVersion, null, tierName == "free" ? "premium" : "free", tierVersion), "another tier");
        Assert.AreEqual("VG003", await GuardAsync(userVersion, 1, tierName, tierVersion), "a profile where there is none");

        await conn.ExecuteAsync("INSERT INTO profiles (user_id, fitness_level) VALUES (@id, 'beginner')", new { id = user.UserId });
        var profileVersion = await conn.QuerySingleAsync<long>("SELECT xmin::text::bigint FROM profiles WHERE user_id = @id", new { id = user.UserId });
        Assert.AreEqual("VG003", await GuardAsync(userVersion, null, tierName, tierVersion), "a profile was made since");
        Assert.IsNull(await GuardAsync(userVersion, profileVersion, tierName, tierVersion));

        await conn.ExecuteAsync("UPDATE users SET display_name = 'x' WHERE id = @id", new { id = user.UserId });
        Assert.AreEqual("VG003", await GuardAsync(userVersion, profileVersion, tierName, tierVersion), "the user's row changed");
        userVersion = await conn.QuerySingleAsync<long>("SELECT xmin::text::bigint FROM users WHERE id = @id", new { id = user.UserId });
        Assert.IsNull(await GuardAsync(userVersion, profileVersion, tierName, tierVersion));
        await conn.ExecuteAsync("DELETE FROM users WHERE id = @id", new { id = user.UserId });
        Assert.AreEqual("VG003", await GuardAsync(userVersion, profileVersion, tierName, tierVersion), "the user is gone");
    }
}
