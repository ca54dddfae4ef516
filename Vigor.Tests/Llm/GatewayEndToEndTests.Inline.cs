using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vigor.Core.Coach;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Jobs;
using Vigor.Core.Llm.Gateway;
using Vigor.Core.Usage;
using Vigor.Tests.Support;

namespace Vigor.Tests.Llm;

/// <summary>The inline fast path, the hand-over to the orchestrator, and the recovery of an inline run that died.</summary>
public sealed partial class GatewayEndToEndTests
{
    private static async Task<(string Id, bool Finished, bool HandedOver)> LastJobAsync(Guid userId)
    {
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        return await conn.QuerySingleAsync<(string, bool, bool)>(
            "SELECT id, result IS NOT NULL, handed_over FROM jobs WHERE user_id = @userId ORDER BY created_at DESC LIMIT 1", new { userId });
    }

    private static async Task<JsonElement> GetJobAsync(Session user, string id)
        => JsonDocument.Parse(await (await host.SendAsync(HttpMethod.Get, $"/api/jobs/{id}", user.AccessToken)).Content.ReadAsStringAsync()).RootElement;

    private static string[] Shape(JsonElement element)
        => element.ValueKind == JsonValueKind.Object ? [.. element.EnumerateObject().Select(p => p.Name)] : [];

    [TestMethod]
    public async Task Inline_FirstCandidateAnswers_WithoutAnOrchestration_AndTheJobReadsLikeAnOrchestratedOne()
    {
        await AddOpenAiProviderAsync();
        var user = await host.RegisterAsync();
        var stranger = await host.RegisterAsync();
        var durable = host.Services.GetRequiredService<DurableTaskClient>();

        var (status, body, _) = await AskAsync(user, "How should I breathe when I bench?");
        var inline = await LastJobAsync(user.UserId);
        var inlineJob = await GetJobAsync(user, inline.Id);
        fake.Fail(FakeFault.ServerError);
        await AskAsync(user, "And when I squat?");
        var handed = await LastJobAsync(user.UserId);
        var handedJob = await GetJobAsync(user, handed.Id);
        var foreign = await host.SendAsync(HttpMethod.Get, $"/api/jobs/{inline.Id}", stranger.AccessToken);

        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        Assert.AreEqual("fake-openai", body.GetProperty("source").GetString());
        Assert.IsTrue(inline.Finished);
        Assert.IsFalse(inline.HandedOver);
        Assert.IsNull(await durable.GetInstanceAsync(inline.Id), "a first candidate that answers needs no orchestration");
        Assert.AreEqual(JobStatus.Completed, inlineJob.GetProperty("status").GetString());
        Assert.AreEqual(FakeLlmServer.ReplyText, inlineJob.GetProperty("result").GetProperty("Payload").GetProperty("reply").GetString());
        Assert.IsTrue(handed.HandedOver);
        Assert.IsFalse(handed.Finished);
        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, (await durable.GetInstanceAsync(handed.Id))!.RuntimeStatus);
        Assert.AreEqual(JobStatus.Completed, handedJob.GetProperty("status").GetString());
        CollectionAssert.AreEqual(Shape(handedJob.GetProperty("result")), Shape(inlineJob.GetProperty("result")), "one shape whichever way the job ran");
        CollectionAssert.AreEqual(Shape(handedJob.GetProperty("result").GetProperty("Result")), Shape(inlineJob.GetProperty("result").GetProperty("Result")));
        Assert.AreEqual(HttpStatusCode.NotFound, foreign.StatusCode);
    }

    [TestMethod]
    public async Task Inline_TheJobRowReplyLedgerAndCounters_CommitTogether_AndTheLatencyIsKeptToTheMicrosecond()
    {
        await AddOpenAiProviderAsync();
        var user = await host.RegisterAsync();

        var (status, body, _) = await AskAsync(user, "How long should I rest between sets?");
        var job = await LastJobAsync(user.UserId);
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        var row = await conn.QuerySingleAsync<(DateTime CreatedAt, DateTime? CompletedAt, long? Micros, int Millis, decimal Cost, int Messages)>("""
            SELECT j.created_at, j.completed_at, c.latency_us, c.latency_ms, c.cost_usd,
                   (SELECT count(*)::int FROM coach_messages m WHERE m.job_id = j.id AND m.role = 'assistant')
            FROM jobs j JOIN llm_calls c ON c.job_id = j.id WHERE j.id = @id
            """, new { id = job.Id });
        var spent = (await host.Services.GetRequiredService<ICounterStore>().GetAsync(UsageKeys.User(user.UserId),
            [UsageKeys.SpendMonth(DateTimeOffset.UtcNow)], CancellationToken.None)).Values.Sum();

        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        Assert.IsTrue(job.Finished);
        Assert.IsNotNull(row.CompletedAt);
        Assert.IsTrue(row.CreatedAt <= row.CompletedAt);
        Assert.AreEqual(1, row.Messages, "the reply is stored once, with the job's result");
        Assert.IsNotNull(row.Micros, "the ledger keeps the latency to the microsecond");
        Assert.AreEqual((int)Math.Round(row.Micros!.Value / 1000.0, MidpointRounding.ToEven), row.Millis, 1);
        Assert.IsTrue(row.Cost > 0);
        Assert.AreEqual(UsageKeys.ToMicros(row.Cost), spent, "the hold was replaced by the actual cost in the same commit");
    }

    [TestMethod]
    public async Task Inline_AWaitThatEndsFirst_WritesTheJobRow_SoTheClientCanPollAtOnce()
    {
        await AddOpenAiProviderAsync();
        var user = await host.RegisterAsync();
        var (_, first, _) = await AskAsync(user, "Hi coach");
        var conversation = Guid.Parse(first.GetProperty("conversationId").GetString()!);
        var me = await host.Services.GetRequiredService<Vigor.Core.Profiles.ProfileRepository>().GetMeAsync(user.UserId, CancellationToken.None);
        var service = new JobService(host.Services.GetRequiredService<JobRepository>(), Microsoft.Extensions.Options.Options.Create(new JobOptions { Wait = TimeSpan.Zero }),
            host.Services.GetRequiredService<LlmInlineRunner>(), host.Services.GetRequiredService<PendingSettles>(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<JobService>.Instance);
        var input = JsonSerializer.SerializeToElement(new CoachInput(conversation, "And how often?", "beginner", false), VigorJson.Options);

        var start = await service.StartLlmAsync(host.Services.GetRequiredService<DurableTaskClient>(), user.UserId, "coach",
            id => new LlmJob(id, user.UserId, me!.Tier, Features.CoachChat, [new PromptMessage("user", "And how often?")], 100, false, input, null), CancellationToken.None);
        var polled = await host.SendAsync(HttpMethod.Get, $"/api/jobs/{start.Job.Id}", user.AccessToken);
        JsonElement done = default;
        for (var i = 0; i < 100; i++)
        {
            done = await GetJobAsync(user, start.Job.Id);
            if (done.GetProperty("status").GetString() == JobStatus.Completed)
                break;
            await Task.Delay(50);
        }

        Assert.IsFalse(start.Finished);
        Assert.AreNotEqual(HttpStatusCode.NotFound, polled.StatusCode, "the row exists as soon as the client is told to poll");
        Assert.AreEqual(JobStatus.Completed, done.GetProperty("status").GetString());
        Assert.AreEqual(FakeLlmServer.ReplyText, done.GetProperty("result").GetProperty("Payload").GetProperty("reply").GetString());
    }

    [TestMethod]
    public async Task HandOver_TheOrchestratorGoesOnFromTheNextCandidate_AndCountsTheRequestOnce()
    {
        await AddOpenAiProviderAsync();
        fake.Fail(FakeFault.ServerError);
        var user = await host.RegisterAsync();
        var calls = fake.Calls;

        var (status, body, _) = await AskAsync(user, "How many rest days do I need?");
        var now = DateTimeOffset.UtcNow;
        var counters = await host.Services.GetRequiredService<ICounterStore>().GetAsync(UsageKeys.User(user.UserId),
            [UsageKeys.RequestsDay(now), UsageKeys.SpendMonth(now)], CancellationToken.None);
        var ledger = await LedgerAsync(user.UserId);

        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        Assert.AreEqual("offline", body.GetProperty("source").GetString());
        Assert.IsTrue(fake.Calls > calls, "the first candidate was tried inline");
        CollectionAssert.AreEqual(new[] { "server_error", "ok" }, ledger.Select(l => l.Outcome).ToArray(), "the orchestrator did not try the failed candidate again");
        Assert.AreEqual(1, counters[UsageKeys.RequestsDay(now)]);
        Assert.AreEqual(0, counters[UsageKeys.SpendMonth(now)], "the worst case held inline is released by the orchestrator's settle");
    }

    [TestMethod]
    public async Task Recovery_AnInlineRunThatDiedAfterReserving_IsAnsweredAndSettledByTheOrchestrator()
    {
        await AddOpenAiProviderAsync();
        var user = await host.RegisterAsync();
        var (_, first, _) = await AskAsync(user, "What is a good first program?");
        var conversation = Guid.Parse(first.GetProperty("conversationId").GetString()!);
        var durable = host.Services.GetRequiredService<DurableTaskClient>();
        var recovery = host.Services.GetRequiredService<LlmJobRecovery>();
        // What an instance leaves behind when it dies between the reservation and the answer: the stored job and the hold.
        var id = "coach-" + Guid.CreateVersion7().ToString("N");
        var job = new LlmJob(id, user.UserId, "free", Features.CoachChat,
            [new PromptMessage("system", "You are a fitness and wellness coach."), new PromptMessage("user", "How often should I deload?")], 400, false,
            JsonSerializer.SerializeToElement(new CoachInput(conversation, "How often should I deload?", "beginner", false), VigorJson.Options), null);
        await host.Services.GetRequiredService<JobRepository>().CreateAsync(id, user.UserId, "coach", CancellationToken.None, JobService.Converter.Serialize(job));
        var free = (await host.Services.GetRequiredService<TierRepository>().GetAsync("free", CancellationToken.None))!;
        var held = await host.Services.GetRequiredService<BudgetGate>().ReserveAsync(id, user.UserId, free, 100_000, CancellationToken.None);
        await using (var conn = new NpgsqlConnection(host.ConnectionString))
            await conn.ExecuteAsync("UPDATE jobs SET created_at = now() - interval '10 minutes' WHERE id = @id", new { id });

        var run = await recovery.RunAsync(durable, CancellationToken.None);
        var done = await durable.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        var again = await recovery.RunAsync(durable, CancellationToken.None);
        var polled = await GetJobAsync(user, id);
        var now = DateTimeOffset.UtcNow;
        var counters = await host.Services.GetRequiredService<ICounterStore>().GetAsync(UsageKeys.User(user.UserId),
            [UsageKeys.RequestsDay(now), UsageKeys.SpendMonth(now)], CancellationToken.None);
        var ledger = await LedgerAsync(user.UserId);

        Assert.AreEqual(100_000, held.ReservedMicros);
        Assert.AreEqual(1, run.HandedOver);
        Assert.AreEqual(0, again.HandedOver, "a job is handed over once");
        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.AreEqual(JobStatus.Completed, polled.GetProperty("status").GetString());
        Assert.AreEqual(FakeLlmServer.ReplyText, polled.GetProperty("result").GetProperty("Payload").GetProperty("reply").GetString());
        Assert.AreEqual(2, counters[UsageKeys.RequestsDay(now)], "the recovered request counts once, beside the first one");
        Assert.AreEqual(UsageKeys.ToMicros(ledger.Sum(l => l.Cost)), counters[UsageKeys.SpendMonth(now)], "the hold is replaced by the actual cost");
    }
    [TestMethod]
    public async Task Inline_FirstProviderCapFull_IsRefusedWithTheReservation_NotCalled_AndTheOrchestratorGoesOn()
    {
        var provider = await AddOpenAiProviderAsync();
        await using (var conn = new NpgsqlConnection(host.ConnectionString))
            await conn.ExecuteAsync("UPDATE llm_providers SET daily_cap_usd = 0.000001 WHERE id = @provider", new { provider });
        var user = await host.RegisterAsync();
        var calls = fake.Calls;

        var (status, body, _) = await AskAsync(user, "How many sets per week for my back?");
        var now = DateTimeOffset.UtcNow;
        var store = host.Services.GetRequiredService<ICounterStore>();
        var held = await store.GetAsync(UsageKeys.Provider(provider), [UsageKeys.SpendDay(now), UsageKeys.SpendMonth(now)], CancellationToken.None);
        var spent = await store.GetAsync(UsageKeys.User(user.UserId), [UsageKeys.RequestsDay(now), UsageKeys.SpendMonth(now)], CancellationToken.None);
        var ledger = await LedgerAsync(user.UserId);

        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        Assert.AreEqual("offline", body.GetProperty("source").GetString());
        Assert.AreEqual(calls, fake.Calls, "a provider whose cap cannot hold the worst case is not called");
        CollectionAssert.AreEqual(new[] { "cap_reached", "ok" }, ledger.Select(l => l.Outcome).ToArray());
        Assert.IsTrue(held.GetValueOrDefault(UsageKeys.SpendDay(now)) == 0 && held.GetValueOrDefault(UsageKeys.SpendMonth(now)) == 0,
            "the refused hold left the provider's counters as they were");
        Assert.AreEqual(1, spent[UsageKeys.RequestsDay(now)]);
        Assert.AreEqual(0, spent[UsageKeys.SpendMonth(now)], "the offline coach costs nothing: the user's hold is released");
    }
}
