using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vigor.Core.Llm.Gateway;
using Vigor.Tests.Support;

namespace Vigor.Tests.Llm;

/// <summary>
/// A coach reply goes to the client before its settle step commits (PendingSettles): the reservation made before the call
/// already counted the request and held its worst case, so the settle only replaces the hold by the actual cost. These
/// tests hold the settle back with a lock in PostgreSQL, or make it fail, and look at what the client and the database see.
/// </summary>
public sealed partial class GatewayEndToEndTests
{
    private static PendingSettles Settles => host.Services.GetRequiredService<PendingSettles>();

    private static async Task<int> LedgerRowsAsync(Guid userId)
    {
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        return await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM llm_calls WHERE user_id = @userId", new { userId });
    }

    [TestMethod]
    public async Task SettleAfterAnswer_TheReplyComesBeforeTheSettleCommits_AndTheUsersReadsWaitForIt()
    {
        await AddOpenAiProviderAsync();
        var user = await host.RegisterAsync();
        // Inserting into the ledger waits while this transaction holds the table in SHARE mode; reading it does not.
        await using var holder = new NpgsqlConnection(host.ConnectionString);
        await holder.OpenAsync();
        await using var hold = await holder.BeginTransactionAsync();
        await holder.ExecuteAsync("LOCK TABLE llm_calls IN SHARE MODE", transaction: hold);

        using var answer = await host.SendAsync(HttpMethod.Post, "/api/coach/messages", user.AccessToken, new { message = "How many rest days a week?" })
            .WaitAsync(TimeSpan.FromSeconds(20));
        var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        var conversation = body.GetProperty("conversationId").GetString();
        var jobWhileHeld = await LastJobAsync(user.UserId);
        var ledgerWhileHeld = await LedgerRowsAsync(user.UserId);
        var messagesRead = host.SendAsync(HttpMethod.Get, $"/api/coach/conversations/{conversation}/messages", user.AccessToken);
        var usageRead = host.SendAsync(HttpMethod.Get, "/api/me/usage", user.AccessToken);
        await Task.Delay(300);
        var readsWaited = !messagesRead.IsCompleted && !usageRead.IsCompleted;
        var pendingWhileHeld = Settles.Count;
        await hold.CommitAsync();
        using var messages = await messagesRead.WaitAsync(TimeSpan.FromSeconds(20));
        using var usage = await usageRead.WaitAsync(TimeSpan.FromSeconds(20));
        var stored = JsonDocument.Parse(await messages.Content.ReadAsStringAsync()).RootElement.GetProperty("items");
        var usageBody = JsonDocument.Parse(await usage.Content.ReadAsStringAsync()).RootElement;
        var job = await GetJobAsync(user, jobWhileHeld.Id);

        Assert.AreEqual(HttpStatusCode.OK, answer.StatusCode, body.ToString());
        Assert.AreEqual(FakeLlmServer.ReplyText, body.GetProperty("reply").GetString());
        Assert.AreEqual(0, ledgerWhileHeld, "the answer came while the settle step could not commit");
        Assert.IsFalse(jobWhileHeld.Finished, "the job's result commits with the settle step");
        Assert.IsTrue(pendingWhileHeld >= 1);
        Assert.IsTrue(readsWaited, "the user's reads of what the settle writes wait for it");
        CollectionAssert.AreEqual(new[] { "user", "assistant" }, stored.EnumerateArray().Select(m => m.GetProperty("role").GetString()).ToArray());
        Assert.AreEqual(FakeLlmServer.ReplyText, stored[1].GetProperty("content").GetString());
        Assert.AreEqual(1, await LedgerRowsAsync(user.UserId));
        Assert.IsTrue(usageBody.GetProperty("budget").GetProperty("spentUsd").GetDecimal() > 0, usageBody.ToString());
        Assert.AreEqual("completed", job.GetProperty("status").GetString());
        Assert.AreEqual(0, Settles.Count);
    }

    [TestMethod]
    public async Task SettleAfterAnswer_ASettleThatCannotCommit_GoesToTheOrchestrator_WhichStoresTheReplyGiven_AndCallsNoModelAgain()
    {
        await AddOpenAiProviderAsync();
        var user = await host.RegisterAsync();
        fake.Reply = "Two rest days a week suit most beginners.";
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        // The ledger refuses this user's rows for as many tries as the settle step after the answer makes; a sequence is
        // not rolled back with the failed transactions, so it counts them.
        await conn.ExecuteAsync($"""
            CREATE SEQUENCE IF NOT EXISTS test_settle_failures;
            SELECT setval('test_settle_failures', 1, false);
            CREATE OR REPLACE FUNCTION test_fail_settle() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF nextval('test_settle_failures') <= {Vigor.Core.Jobs.JobService.SettleTries} THEN
                    RAISE EXCEPTION 'test: the ledger is unavailable';
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER test_fail_settle BEFORE INSERT ON llm_calls FOR EACH ROW
                WHEN (NEW.user_id = '{user.UserId}') EXECUTE FUNCTION test_fail_settle();
            """);
        try
        {
            var callsBefore = fake.Calls;
            var (status, body, _) = await AskAsync(user, "How many rest days a week?");
            var conversation = body.GetProperty("conversationId").GetString();
            var jobId = (await LastJobAsync(user.UserId)).Id;
            JsonElement job = default;
            for (var i = 0; i < 200; i++)
            {
                job = await GetJobAsync(user, jobId);
                if (job.GetProperty("status").GetString() == "completed")
                    break;
                await Task.Delay(50);
            }
            var messages = JsonDocument.Parse(await (await host.SendAsync(HttpMethod.Get, $"/api/coach/conversations/{conversation}/messages", user.AccessToken))
                .Content.ReadAsStringAsync()).RootElement.GetProperty("items");
            var ledger = await LedgerAsync(user.UserId);
            var tries = await conn.ExecuteScalarAsync<long>("SELECT last_value FROM test_settle_failures");

            Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
            Assert.AreEqual("Two rest days a week suit most beginners.", body.GetProperty("reply").GetString());
            Assert.AreEqual("completed", job.GetProperty("status").GetString(), job.ToString());
            Assert.AreEqual(1, fake.Calls - callsBefore, "the orchestrator settled the answer given; no model was called again");
            Assert.AreEqual(Vigor.Core.Jobs.JobService.SettleTries + 1, tries, "every try failed, then the orchestrator's settle wrote the row");
            Assert.AreEqual(1, ledger.Count);
            Assert.AreEqual(("openai", "ok"), (ledger[0].ProviderKind, ledger[0].Outcome));
            Assert.IsTrue(ledger[0].Cost > 0);
            Assert.AreEqual("Two rest days a week suit most beginners.", messages[1].GetProperty("content").GetString());
            Assert.AreEqual("Two rest days a week suit most beginners.", job.GetProperty("result").GetProperty("Payload").GetProperty("reply").GetString());
        }
        finally
        {
            await conn.ExecuteAsync("DROP TRIGGER IF EXISTS test_fail_settle ON llm_calls; DROP FUNCTION IF EXISTS test_fail_settle(); DROP SEQUENCE IF EXISTS test_settle_failures;");
        }
    }
}
