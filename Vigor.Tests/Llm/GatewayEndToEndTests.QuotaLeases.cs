using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vigor.Core.Llm.Gateway;
using Vigor.Core.Usage;
using Vigor.Tests.Support;

namespace Vigor.Tests.Llm;

/// <summary>
/// Quota leases (QuotaLeases, migration 0030): after a user's remembered hit the instance counts a block of their quota at
/// once, and their next remembered hits answer from it before their writes commit. The quota stays exact.
/// </summary>
public sealed partial class GatewayEndToEndTests
{
    private static QuotaLeases Leases => host.Services.GetRequiredService<QuotaLeases>();

    /// <summary>A profiled user with two remembered hits behind them (the second from the kept context) and a lease taken.</summary>
    private static async Task<Session> LeasedUserAsync()
    {
        await CachedPlanFromTheModelAsync();
        var user = await ProfiledUserAsync();
        Assert.AreEqual("cache", (await GeneratePlanAsync(user)).GetProperty("source").GetString());
        Assert.AreEqual("cache", (await GeneratePlanAsync(user)).GetProperty("source").GetString());
        await Leases.WhenTakenAsync(user.UserId);
        return user;
    }

    private static async Task<(int Granted, int Used, bool Closed)[]> LeaseRowsAsync(Guid userId)
    {
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        return (await conn.QueryAsync<(int, int, bool)>(
            "SELECT granted, used, closed_at IS NOT NULL FROM llm_quota_leases WHERE user_id = @userId ORDER BY created_at", new { userId })).ToArray();
    }

    [TestMethod]
    public async Task LeasedHit_AnswersBeforeItsWritesCommit_TheUsersPlanReadsWaitForThem_CountedOnce()
    {
        var user = await LeasedUserAsync();
        var leases = await LeaseRowsAsync(user.UserId);
        // Inserting into the ledger waits while this transaction holds the table in SHARE mode; reading it does not.
        await using var holder = new NpgsqlConnection(host.ConnectionString);
        await holder.OpenAsync();
        await using var hold = await holder.BeginTransactionAsync();
        await holder.ExecuteAsync("LOCK TABLE llm_calls IN SHARE MODE", transaction: hold);

        using var answer = await host.SendAsync(HttpMethod.Post, "/api/workouts/plans/generate", user.AccessToken, new { })
            .WaitAsync(TimeSpan.FromSeconds(10));
        var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        var ledgerWhileHeld = await LedgerRowsAsync(user.UserId);
        var planRead = host.SendAsync(HttpMethod.Get, $"/api/workouts/plans/{body.GetProperty("id").GetString()}", user.AccessToken);
        var listRead = host.SendAsync(HttpMethod.Get, "/api/workouts/plans", user.AccessToken);
        await Task.Delay(300);
        var readsWaited = !planRead.IsCompleted && !listRead.IsCompleted;
        await hold.CommitAsync();
        using var plan = await planRead.WaitAsync(TimeSpan.FromSeconds(20));
        using var list = await listRead.WaitAsync(TimeSpan.FromSeconds(20));
        var listed = JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement.GetProperty("items");
        await host.SettledAsync();
        var leaseAfter = await LeaseRowsAsync(user.UserId);

        Assert.AreEqual(1, leases.Length, "one lease after the second hit");
        Assert.AreEqual(2, leases[0].Granted, "a quarter of the free tier's 8 requests left today");
        Assert.AreEqual(HttpStatusCode.OK, answer.StatusCode, body.ToString());
        Assert.AreEqual("cache", body.GetProperty("source").GetString());
        Assert.AreEqual(2, ledgerWhileHeld, "the answer came while its ledger row could not commit");
        Assert.IsTrue(readsWaited, "the user's plan reads wait for the hit's writes");
        Assert.AreEqual(HttpStatusCode.OK, plan.StatusCode, "the plan the client was given is saved");
        Assert.AreEqual(3, listed.GetArrayLength());
        Assert.AreEqual(3, await LedgerRowsAsync(user.UserId));
        Assert.AreEqual(1, leaseAfter[0].Used, "the hit marked one unit of the lease used");
        Assert.AreEqual(3, await RequestsTodayAsync(user.UserId), "counted once; the unused unit went back");
        Assert.IsTrue((await LeaseRowsAsync(user.UserId)).All(l => l.Closed));
    }

    [TestMethod]
    public async Task LeasedUnits_AreGivenBackBeforeTheQuotaRefuses_ManyChatRequestsAtOnce_ExactlyTheQuotaIsServed()
    {
        var user = await LeasedUserAsync();
        int perDay;
        await using (var conn = new NpgsqlConnection(host.ConnectionString))
            perDay = await conn.QuerySingleAsync<int>("SELECT t.requests_per_day FROM tiers t JOIN users u ON u.tier = t.name WHERE u.id = @id", new { id = user.UserId });
        // Two requests served and the lease's two units counted: chat requests cannot use those units, only have them back.
        Assert.AreEqual(2, (await LeaseRowsAsync(user.UserId)).Single().Granted);

        var responses = await Task.WhenAll(Enumerable.Range(0, 3 * perDay).Select(i =>
            host.SendAsync(HttpMethod.Post, "/api/coach/messages", user.AccessToken, new { message = $"Rest days, question {i}?" })));
        await host.SettledAsync();
        var served = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        var refused = responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests);

        Assert.AreEqual(perDay - 2, served, "every unit left is served: the lease went back before a refusal");
        Assert.AreEqual(3 * perDay - served, refused);
        Assert.AreEqual(perDay, await RequestsTodayAsync(user.UserId));
        Assert.AreEqual(perDay, await LedgerRowsAsync(user.UserId), "one ledger row per request served");
        Assert.IsTrue((await LeaseRowsAsync(user.UserId)).All(l => l.Closed && l.Used == 0));
    }

    [TestMethod]
    public async Task LeasedHit_ProfileChangedThroughTheApi_NextPlanIsBuiltFromTheNewProfile()
    {
        var user = await LeasedUserAsync();

        var profile = await host.SendAsync(HttpMethod.Put, "/api/me/profile", user.AccessToken, new
        {
            fitnessLevel = "beginner", goals = new[] { "strength" }, equipment = new[] { "barbell", "bench" }, daysPerWeek = 3, sessionMinutes = 45,
        });
        var after = await GeneratePlanAsync(user);
        // The change's notification, heard after that request, drops what it kept: the next request keeps it again.
        await ContextChangesHeardAsync();
        await GeneratePlanAsync(user);
        var kept = Kept.Get(user.UserId);

        Assert.AreEqual(HttpStatusCode.OK, profile.StatusCode);
        Assert.AreNotEqual("cache", after.GetProperty("source").GetString(), "the plan cached for the old equipment is not this profile's: " + after);
        Assert.IsNotNull(kept);
        CollectionAssert.AreEquivalent(new[] { "barbell", "bench" }, kept.Me.Profile.Equipment!.ToArray());
    }

    [TestMethod]
    public async Task QuotaLeaseFunctions_TakeAQuarter_UseOncePerJob_CloseReturnsTheUnused_ReclaimClosesExpired()
    {
        var user = await host.RegisterAsync();
        var partition = UsageKeys.User(user.UserId);
        string[] rows = ["req:d", "req:w"];
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        await conn.OpenAsync();
        Task<int> TakeAsync(Guid id, long[] limits, int want) => conn.QuerySingleAsync<int>(
            "SELECT llm_quota_lease_take(@id, @user, @partition, @rows, @limits, @want, now() + interval '1 minute')",
            new { id, user = user.UserId, partition, rows, limits, want });
        async Task<long[]> CountsAsync() => (await conn.QueryAsync<long>(
            "SELECT value FROM llm_counters WHERE partition = @partition AND row_key = ANY(@rows) ORDER BY row_key", new { partition, rows })).ToArray();
        Task UseAsync(Guid id, string job) => conn.ExecuteAsync("SELECT llm_quota_lease_use(@id, @job)", new { id, job });

        var first = Guid.NewGuid();
        Assert.AreEqual(0, await TakeAsync(Guid.NewGuid(), [7, 100], 16), "a quarter of 7 is under 2: no lease");
        CollectionAssert.AreEqual(new long[] { 0, 0 }, await CountsAsync(), "nothing counted");
        Assert.AreEqual(5, await TakeAsync(first, [20, 100], 16), "a quarter of the tightest window's 20");
        CollectionAssert.AreEqual(new long[] { 5, 5 }, await CountsAsync());
        Assert.AreEqual(3, await TakeAsync(Guid.NewGuid(), [20, 100], 16), "a quarter of the 15 left");
        await UseAsync(first, "job-a");
        await UseAsync(first, "job-b");
        await conn.ExecuteAsync("INSERT INTO jobs (id, user_id, kind) VALUES ('job-c', @id, 'plan')", new { id = user.UserId });
        await UseAsync(first, "job-c"); // its writes committed before: not counted again
        Assert.AreEqual(3, await conn.QuerySingleAsync<int>("SELECT llm_quota_lease_close(@first)", new { first }), "5 granted, 2 used");
        Assert.AreEqual(0, await conn.QuerySingleAsync<int>("SELECT llm_quota_lease_close(@first)", new { first }), "closed once");
        CollectionAssert.AreEqual(new long[] { 5, 5 }, await CountsAsync(), "2 used + the other lease's 3");
        await UseAsync(first, "job-d"); // a hit whose writes came after its lease closed: counted directly
        CollectionAssert.AreEqual(new long[] { 6, 6 }, await CountsAsync());
        // Every lease of the database expired by then (other tests' too): this user's other lease gives back its 3 unused units.
        Assert.IsTrue(await conn.QuerySingleAsync<int>("SELECT llm_quota_leases_reclaim(now() + interval '2 minutes')") >= 3);
        Assert.IsTrue((await LeaseRowsAsync(user.UserId)).All(l => l.Closed));
        CollectionAssert.AreEqual(new long[] { 3, 3 }, await CountsAsync(), "only what hits used stays counted");
        Assert.AreEqual("VG004", (await Assert.ThrowsExactlyAsync<PostgresException>(() => UseAsync(Guid.NewGuid(), "job-e"))).SqlState);
        await conn.QuerySingleAsync<int>("SELECT llm_quota_leases_reclaim(now() + interval '3 days')");
        Assert.AreEqual(0, (await LeaseRowsAsync(user.UserId)).Length, "leases closed two days before are deleted");
    }
}
