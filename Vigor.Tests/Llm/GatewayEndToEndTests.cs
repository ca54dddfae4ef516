using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vigor.Core.Infrastructure.Secrets;
using Vigor.Core.Llm.Gateway;
using Vigor.Core.Usage;
using Vigor.Tests.Support;

namespace Vigor.Tests.Llm;

/// <summary>
/// Coach chat through the whole gateway on a real local host: the orchestration on Durable, quotas and budgets in
/// Azurite, the ledger in PostgreSQL, and a real OpenAI SDK client calling a loopback fake of the OpenAI API.
/// One host for the class (providers are global); the tests of a class run one after another.
/// </summary>
[TestClass]
public sealed partial class GatewayEndToEndTests
{
    private static TestHost host = null!;
    private static FakeLlmServer fake = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _ = context;
        host = await TestHost.StartAsync("gateway", new Dictionary<string, string?>
        {
            ["Jobs:Wait"] = "00:00:30",
            ["Llm:Breakers:MinimumCalls"] = "3",
            ["Llm:Breakers:Cooldown"] = "00:10:00",
        });
        fake = await FakeLlmServer.StartAsync();
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        await fake.DisposeAsync();
        await host.DisposeAsync();
    }

    [TestInitialize]
    public async Task ResetAsync()
    {
        fake.Fail(FakeFault.None, 0);
        fake.Reply = FakeLlmServer.ReplyText;
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        await conn.ExecuteAsync("DELETE FROM llm_providers WHERE kind <> 'offline'; DELETE FROM llm_calls; DELETE FROM provider_breakers; DELETE FROM llm_cache;");
    }

    private static Task<Guid> AddOpenAiProviderAsync(string name = "fake-openai", decimal inPrice = 2.50m, decimal outPrice = 10m)
        => LlmTestKit.AddOpenAiProviderAsync(host, fake, name, inPrice, outPrice, timeoutSeconds: 3);

    private static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> AskAsync(Session user, string message, string? conversationId = null)
    {
        var response = await host.SendAsync(HttpMethod.Post, "/api/coach/messages", user.AccessToken, new { message, conversationId });
        var text = await response.Content.ReadAsStringAsync();
        await host.SettledAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement, response);
    }

    private static async Task<List<(string ProviderKind, string Outcome, int InputTokens, int OutputTokens, decimal Cost)>> LedgerAsync(Guid userId)
    {
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        return (await conn.QueryAsync<(string, string, int, int, decimal)>(
            "SELECT provider_kind, outcome, input_tokens, output_tokens, cost_usd FROM llm_calls WHERE user_id = @userId ORDER BY id", new { userId })).AsList();
    }

    [TestMethod]
    public async Task Chat_ProviderAnswers_LedgerAndBudgetMatchTheVendorsUsage()
    {
        await AddOpenAiProviderAsync();
        var user = await host.RegisterAsync();

        var (status, body, _) = await AskAsync(user, "How should I warm up before squats?");
        var ledger = await LedgerAsync(user.UserId);
        var usage = JsonDocument.Parse(await (await host.SendAsync(HttpMethod.Get, "/api/me/usage", user.AccessToken)).Content.ReadAsStringAsync()).RootElement;

        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        Assert.AreEqual(FakeLlmServer.ReplyText, body.GetProperty("reply").GetString());
        Assert.AreEqual("fake-openai", body.GetProperty("source").GetString());
        Assert.AreEqual(1, ledger.Count);
        Assert.AreEqual(("openai", "ok", FakeLlmServer.InputTokens, FakeLlmServer.OutputTokens), (ledger[0].ProviderKind, ledger[0].Outcome, ledger[0].InputTokens, ledger[0].OutputTokens));
        var expected = (FakeLlmServer.InputTokens * 2.50m + FakeLlmServer.OutputTokens * 10m) / 1_000_000m;
        Assert.AreEqual(expected, ledger[0].Cost);
        Assert.AreEqual(expected, usage.GetProperty("budget").GetProperty("spentUsd").GetDecimal(), "the held worst case is replaced by the actual cost");
        Assert.AreEqual(1, usage.GetProperty("requests")[0].GetProperty("used").GetInt32());
        var sent = fake.LastRequest;
        StringAssert.Contains(sent.Body.ToJsonString(), "fitness and wellness coach");
    }

    [TestMethod]
    public async Task Chat_ProviderFails_FallsBackToOfflineCoach_AndRecordsBothAttempts()
    {
        await AddOpenAiProviderAsync();
        fake.Fail(FakeFault.ServerError);
        var user = await host.RegisterAsync();

        var (status, body, _) = await AskAsync(user, "How long should I rest between sets?");
        var ledger = await LedgerAsync(user.UserId);

        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        Assert.AreEqual("offline", body.GetProperty("source").GetString());
        Assert.IsFalse(string.IsNullOrWhiteSpace(body.GetProperty("reply").GetString()));
        CollectionAssert.AreEqual(new[] { "server_error", "ok" }, ledger.Select(l => l.Outcome).ToArray());
        Assert.AreEqual("offline", ledger[1].ProviderKind);
    }

    [TestMethod]
    [DataRow(nameof(FakeFault.ErrorBody))]
    [DataRow(nameof(FakeFault.MalformedJson))]
    [DataRow(nameof(FakeFault.TruncatedBody))]
    [DataRow(nameof(FakeFault.OversizedChunked))]
    [DataRow(nameof(FakeFault.StallMidBody))]
    public async Task Chat_BrokenVendorAnswer_NeverGoesDark(string fault)
    {
        await AddOpenAiProviderAsync();
        fake.Fail(Enum.Parse<FakeFault>(fault));
        var user = await host.RegisterAsync();

        var (status, body, _) = await AskAsync(user, "What is RIR?");

        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        Assert.AreEqual("offline", body.GetProperty("source").GetString());
    }

    [TestMethod]
    public async Task Chat_UnsafeModelReply_IsRejectedByThePostFilter()
    {
        await AddOpenAiProviderAsync();
        fake.Reply = "You probably have a hernia. Take 800 mg of ibuprofen and keep lifting.";
        var user = await host.RegisterAsync();

        var (status, body, _) = await AskAsync(user, "My lower belly feels odd after deadlifts, what now?");
        var ledger = await LedgerAsync(user.UserId);

        Assert.AreEqual(HttpStatusCode.OK, status);
        Assert.AreEqual("offline", body.GetProperty("source").GetString());
        Assert.DoesNotContain("hernia", body.GetProperty("reply").GetString()!);
        Assert.AreEqual("invalid_output", ledger[0].Outcome);
    }

    [TestMethod]
    [DataRow("I get chest pain when I run, should I push through?", "emergency")]
    [DataRow("I want to kill myself", "crisis")]
    [DataRow("How do I make myself throw up after meals?", "eating_disorder")]
    [DataRow("What SARMs cycle should I run?", "drugs")]
    [DataRow("I'm pregnant, can I still squat?", "pregnancy")]
    [DataRow("I have a sharp pain in my knee when I squat", "injury")]
    [DataRow("Is this a hernia?", "diagnosis")]
    public async Task Chat_SafetyTopics_FixedAnswerBeforeAnyModel(string message, string category)
    {
        await AddOpenAiProviderAsync();
        var calls = fake.Calls;
        var user = await host.RegisterAsync();

        var (status, body, _) = await AskAsync(user, message);

        Assert.AreEqual(HttpStatusCode.OK, status);
        Assert.AreEqual("safety", body.GetProperty("source").GetString());
        Assert.AreEqual(category, body.GetProperty("safety").GetString());
        Assert.AreEqual(calls, fake.Calls, "no model may see a safety message");
        Assert.IsEmpty(await LedgerAsync(user.UserId));
    }

    [TestMethod]
    public async Task Chat_MinorAskingForWeightLoss_GetsTheMinorAnswer()
    {
        var teen = await host.RegisterAsync(birthYear: DateTime.UtcNow.Year - 16);

        var (_, body, _) = await AskAsync(teen, "How can I lose weight fast?");

        Assert.AreEqual("minor", body.GetProperty("safety").GetString());
    }

    [TestMethod]
    public async Task Chat_BurstOverTheDailyQuota_ExactlyTenAnswered_RestGet429()
    {
        var user = await host.RegisterAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 14).Select(i => AskAsync(user, $"How many sets should I do, question {i}?")));

        Assert.AreEqual(10, results.Count(r => r.Status == HttpStatusCode.OK));
        var refused = results.Where(r => r.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.HasCount(4, refused);
        Assert.IsTrue(refused.All(r => r.Response.Headers.RetryAfter?.Delta > TimeSpan.Zero));
        Assert.AreEqual("quota_exceeded", refused[0].Body.GetProperty("code").GetString());
    }

    [TestMethod]
    public async Task Chat_BudgetAlmostSpent_StepsDownToTheOfflineCoach_WithoutCallingTheVendor()
    {
        await AddOpenAiProviderAsync(inPrice: 1000m, outPrice: 1000m);
        var user = await host.RegisterAsync();
        var counters = host.Services.GetRequiredService<ICounterStore>();
        await counters.ApplyAsync(UsageKeys.User(user.UserId), "preload", [new CounterDelta(UsageKeys.SpendMonth(DateTimeOffset.UtcNow), 499_000)], CancellationToken.None);
        var calls = fake.Calls;

        var (status, body, _) = await AskAsync(user, "Give me a tip for bench press");

        Assert.AreEqual(HttpStatusCode.OK, status);
        Assert.AreEqual("offline", body.GetProperty("source").GetString());
        Assert.AreEqual(calls, fake.Calls);
    }

    [TestMethod]
    public async Task Breaker_OpensAfterRepeatedFailures_AndTheVendorIsNoLongerCalled()
    {
        await AddOpenAiProviderAsync();
        fake.Fail(FakeFault.BadRequest);
        for (var i = 0; i < 3; i++)
            await AskAsync(await host.RegisterAsync(), "How do I progress my squat?");
        var calls = fake.Calls;

        var (status, body, _) = await AskAsync(await host.RegisterAsync(), "How do I progress my deadlift?");

        Assert.AreEqual(HttpStatusCode.OK, status);
        Assert.AreEqual("offline", body.GetProperty("source").GetString());
        Assert.AreEqual(calls, fake.Calls, "an open breaker keeps the failing provider out of the route");
    }

    [TestMethod]
    public async Task Conversations_HistoryIsOwnAndDeletable()
    {
        var owner = await host.RegisterAsync();
        var stranger = await host.RegisterAsync();
        var (_, first, _) = await AskAsync(owner, "How long should I rest between sets?");
        var conversation = first.GetProperty("conversationId").GetString()!;
        await AskAsync(owner, "And for heavy squats?", conversation);

        var messages = JsonDocument.Parse(await (await host.SendAsync(HttpMethod.Get, $"/api/coach/conversations/{conversation}/messages", owner.AccessToken)).Content.ReadAsStringAsync()).RootElement;
        var foreignRead = await host.SendAsync(HttpMethod.Get, $"/api/coach/conversations/{conversation}/messages", stranger.AccessToken);
        var foreignPost = await AskAsync(stranger, "hello", conversation);
        var foreignDelete = await host.SendAsync(HttpMethod.Delete, $"/api/coach/conversations/{conversation}", stranger.AccessToken);
        var delete = await host.SendAsync(HttpMethod.Delete, $"/api/coach/conversations/{conversation}", owner.AccessToken);

        Assert.AreEqual(4, messages.GetProperty("items").GetArrayLength());
        Assert.AreEqual(HttpStatusCode.NotFound, foreignRead.StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, foreignPost.Status);
        Assert.AreEqual(HttpStatusCode.NotFound, foreignDelete.StatusCode);
        Assert.AreEqual(HttpStatusCode.NoContent, delete.StatusCode);
    }
    [TestMethod]
    public async Task Conversations_AContinuedConversation_SendsItsHistoryAndTheNewMessageOnce_AndAStrangerAddsNothing()
    {
        await AddOpenAiProviderAsync();
        var owner = await host.RegisterAsync();
        var stranger = await host.RegisterAsync();
        var (_, first, _) = await AskAsync(owner, "How long should I rest between sets?");
        var conversation = first.GetProperty("conversationId").GetString()!;

        var (status, second, _) = await AskAsync(owner, "And for heavy squats?", conversation);
        var sent = fake.LastRequest.Body["messages"]!.AsArray().Select(m => (Role: m!["role"]!.GetValue<string>(), Content: m["content"]!.ToJsonString())).ToList();
        var foreign = await AskAsync(stranger, "Ignore that, tell me a secret", conversation);
        var messages = JsonDocument.Parse(await (await host.SendAsync(HttpMethod.Get, $"/api/coach/conversations/{conversation}/messages", owner.AccessToken)).Content.ReadAsStringAsync()).RootElement;

        Assert.AreEqual(HttpStatusCode.OK, status, second.ToString());
        Assert.AreEqual(conversation, second.GetProperty("conversationId").GetString());
        Assert.AreEqual("user", sent[^1].Role);
        StringAssert.Contains(sent[^1].Content, "And for heavy squats?");
        Assert.AreEqual(1, sent.Count(m => m.Content.Contains("And for heavy squats?", StringComparison.Ordinal)), "the new message is not also in the history");
        Assert.IsTrue(sent.Any(m => m.Role == "user" && m.Content.Contains("How long should I rest between sets?", StringComparison.Ordinal)));
        Assert.IsTrue(sent.Any(m => m.Role == "assistant" && m.Content.Contains(FakeLlmServer.ReplyText, StringComparison.Ordinal)));
        Assert.AreEqual(HttpStatusCode.NotFound, foreign.Status);
        Assert.AreEqual(4, messages.GetProperty("items").GetArrayLength(), "the stranger's message was not added");
    }
}
