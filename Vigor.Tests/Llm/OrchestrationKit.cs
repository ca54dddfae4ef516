using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Dapper;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vigor.Core;
using Vigor.Core.Coach;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Infrastructure.Secrets;
using Vigor.Core.Llm.Gateway;
using Vigor.Core.Usage;
using Vigor.Tests.Support;

namespace Vigor.Tests.Llm;

/// <summary>
/// <see cref="LlmOrchestrator"/> on Durable's in-process test host, without the HTTP layer: the app's real DI
/// (<see cref="VigorCoreServices.AddVigorCore"/>) on its own PostgreSQL database and Azurite tables, providers that
/// are loopback fakes of the vendor APIs (one <see cref="FakeLlmServer"/> each, so each has its own request count),
/// and every gateway activity wrapped by <see cref="ActivityFaults"/> so a test can make Durable's at-least-once
/// delivery happen on purpose (an activity run twice, or crashing before or after its work).
/// </summary>
internal sealed class OrchestrationKit : IAsyncDisposable
{
    private readonly List<FakeLlmServer> fakes = [];

    private OrchestrationKit(DurableTaskTestHost durable, string connectionString, ActivityFaults faults)
    {
        Durable = durable;
        ConnectionString = connectionString;
        Faults = faults;
    }

    public DurableTaskTestHost Durable { get; }

    public IServiceProvider Services => Durable.Services;

    public string ConnectionString { get; }

    public ActivityFaults Faults { get; }

    public ICounterStore Counters => Services.GetRequiredService<ICounterStore>();

    /// <param name="clock">Replaces the app's <see cref="TimeProvider"/> (breakers, ledger stamps, budget windows).</param>
    public static async Task<OrchestrationKit> StartAsync(string purpose, IDictionary<string, string?>? overrides = null, TimeProvider? clock = null)
    {
        var connectionString = await TestEnvironment.CreateDatabaseAsync(purpose);
        var settings = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = connectionString,
            ["Storage:ConnectionString"] = TestEnvironment.Storage,
            ["Storage:TablePrefix"] = "o" + Guid.NewGuid().ToString("N")[..12],
            ["Secrets:Provider"] = "Configuration",
            ["Secrets:jwt-signing-keys"] = new TestKeys("k1").SecretJson("k1"),
            ["Secrets:admin-password"] = TestHost.AdminPassword,
            ["Admin:Email"] = TestHost.AdminEmail,
            ["Auth:Issuer"] = TestHost.Issuer,
            ["Auth:Audience"] = TestHost.Audience,
            ["Llm:Retry:BaseDelay"] = "00:00:00.010",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
            settings[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var faults = new ActivityFaults();

        var durable = await DurableTaskTestHost.StartAsync(
            tasks =>
            {
                tasks.AddOrchestrator(nameof(LlmOrchestrator), () => new CountingOrchestrator(new LlmOrchestrator(), faults));
                foreach (var type in GatewayRegistration.Activities)
                    tasks.AddActivity(type.Name, services => new FaultyActivity(type.Name, (ITaskActivity)services.GetRequiredService(type), faults));
            },
            new DurableTaskTestHostOptions
            {
                Port = FreePort(),
                ConfigureServices = services =>
                {
                    services.AddSingleton<IConfiguration>(configuration);
                    services.AddVigorCore();
                    if (clock is not null)
                        services.AddSingleton(clock);
                },
            });
        return new OrchestrationKit(durable, connectionString, faults);
    }

    /// <summary>A provider row aimed at a fresh fake vendor; its API key is in the secret store.</summary>
    public async Task<FakeProvider> AddProviderAsync(string name, string kind, int priority, decimal inputPrice = 2.50m, decimal outputPrice = 10m)
    {
        var fake = await FakeLlmServer.StartAsync();
        fakes.Add(fake);
        var id = Guid.NewGuid();
        var endpoint = kind == "anthropic" ? fake.BaseUri : new Uri(fake.BaseUri, "v1");
        var model = kind == "anthropic" ? "claude-sonnet-4-5" : "gpt-4o-mini";
        await using (var conn = new NpgsqlConnection(ConnectionString))
        {
            await conn.ExecuteAsync("""
                INSERT INTO llm_providers (id, name, kind, endpoint, model, priority, input_price_per_million, output_price_per_million, timeout_seconds, has_secret)
                VALUES (@id, @name, @kind, @endpoint, @model, @priority, @inputPrice, @outputPrice, 5, true)
                """, new { id, name, kind, endpoint = endpoint.ToString(), model, priority, inputPrice, outputPrice });
        }
        await Services.GetRequiredService<ISecretStore>().SetAsync("llm-provider-" + id.ToString("N"), FakeLlmServer.ApiKey, CancellationToken.None);
        return new FakeProvider(id, name, fake, inputPrice, outputPrice);
    }

    /// <summary>A user of <paramref name="tier"/> with a coach conversation to answer in.</summary>
    public async Task<(Guid UserId, Guid ConversationId)> AddUserAsync(string tier = "free")
    {
        var userId = Guid.NewGuid();
        var email = $"user-{userId:N}@example.com";
        await using (var conn = new NpgsqlConnection(ConnectionString))
        {
            await conn.ExecuteAsync("""
                INSERT INTO users (id, email, email_normalized, password_hash, birth_year, tier) VALUES (@userId, @email, @email, 'not-a-hash', 1990, @tier)
                """, new { userId, email, tier });
        }
        var conversation = await Services.GetRequiredService<CoachRepository>().CreateAsync(userId, "orchestration test", CancellationToken.None);
        return (userId, conversation.Id);
    }

    /// <summary>A coach-chat job as <see cref="CoachService"/> builds it (personal, so never cached).</summary>
    public static LlmJob CoachJob(Guid userId, Guid conversationId, string message = "How many sets should I do for squats?", string tier = "free")
    {
        var input = JsonSerializer.SerializeToElement(new CoachInput(conversationId, message, "beginner", false), VigorJson.Options);
        return new LlmJob("coach-" + Guid.CreateVersion7().ToString("N"), userId, tier, Features.CoachChat,
            [new PromptMessage("system", "You are Vigor's fitness and wellness coach."), new PromptMessage("user", message)], 400, false, input, CacheKey: null);
    }

    /// <summary>Schedules the orchestration with instance id = job id (as <c>JobService</c> does) and waits for it.</summary>
    public async Task<(LlmJobOutput Output, OrchestrationMetadata State)> RunAsync(LlmJob job)
    {
        await Durable.Client.ScheduleNewOrchestrationInstanceAsync(nameof(LlmOrchestrator), job, new StartOrchestrationOptions(job.JobId));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var state = await Durable.Client.WaitForInstanceCompletionAsync(job.JobId, getInputsAndOutputs: true, timeout.Token);
        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, state.RuntimeStatus, state.FailureDetails?.ToString());
        return (state.ReadOutputAs<LlmJobOutput>()!, state);
    }

    public async Task<List<LedgerRow>> LedgerAsync(string jobId)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        return (await conn.QueryAsync<LedgerRow>("""
            SELECT attempt, provider_id, provider_kind, outcome, input_tokens, output_tokens, cost_usd FROM llm_calls WHERE job_id = @jobId ORDER BY attempt
            """, new { jobId })).AsList();
    }

    public async Task<long> CountAsync(string sql, object? parameters = null)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        return await conn.ExecuteScalarAsync<long>(sql, parameters);
    }

    /// <summary>A counter's exact value in Table Storage (0 when the row does not exist).</summary>
    public async Task<long> CounterAsync(string partition, string row)
        => (await Counters.GetAsync(partition, [row], CancellationToken.None)).GetValueOrDefault(row);

    /// <summary>The user's requests today and spend this month, in micro-dollars, exactly as the counters hold them.</summary>
    public async Task<(long RequestsToday, long SpendMonth)> UserUsageAsync(Guid userId)
    {
        var now = Services.GetRequiredService<TimeProvider>().GetUtcNow();
        return (await CounterAsync(UsageKeys.User(userId), UsageKeys.RequestsDay(now)), await CounterAsync(UsageKeys.User(userId), UsageKeys.SpendMonth(now)));
    }

    /// <summary>This month's spend of the whole app, or of one provider when <paramref name="providerId"/> is given.</summary>
    public Task<long> SpendMonthAsync(Guid? providerId = null)
        => CounterAsync(providerId is { } id ? UsageKeys.Provider(id) : UsageKeys.Global, UsageKeys.SpendMonth(Services.GetRequiredService<TimeProvider>().GetUtcNow()));

    /// <summary>Runs one gateway activity directly, outside any orchestration, as a redelivery would run it again.</summary>
    public async Task<TOutput> RunActivityAsync<TActivity, TOutput>(object input, string instanceId)
    {
        var activity = (ITaskActivity)Services.GetRequiredService(typeof(TActivity));
        return (TOutput)(await activity.RunAsync(new DirectActivityContext(typeof(TActivity).Name, instanceId), input))!;
    }

    /// <summary>A clean slate between tests: no model providers, ledger rows or breaker claims; every fault off.</summary>
    public async Task ResetAsync()
    {
        Faults.Clear();
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.ExecuteAsync("DELETE FROM llm_providers WHERE kind <> 'offline'; DELETE FROM llm_calls; DELETE FROM provider_breakers; UPDATE budget_settings SET global_monthly_usd = 500, hard_stop = true;");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var fake in fakes)
            await fake.DisposeAsync();
        await Durable.DisposeAsync();
        await TestEnvironment.DropDatabaseAsync(ConnectionString);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

internal sealed record FakeProvider(Guid Id, string Name, FakeLlmServer Fake, decimal InputPrice, decimal OutputPrice)
{
    /// <summary>What one successful call costs at this provider, in micro-dollars, from the fake's reported usage.</summary>
    public long CallMicros => Pricing.Micros(new ProviderRow { InputPricePerMillion = InputPrice, OutputPricePerMillion = OutputPrice },
        FakeLlmServer.InputTokens, FakeLlmServer.OutputTokens);
}

// A class, not a positional record: Dapper maps columns by name onto setters.
internal sealed class LedgerRow
{
    public int Attempt { get; set; }
    public Guid? ProviderId { get; set; }
    public string ProviderKind { get; set; } = "";
    public string Outcome { get; set; } = "";
    public int InputTokens { get; set; }
    public int OutputTokens { get; set; }
    public decimal CostUsd { get; set; }
}

/// <summary>How the next runs of an activity misbehave, as Durable's at-least-once delivery can make them.</summary>
internal enum ActivityFault
{
    /// <summary>The activity's work runs twice (a redelivery after the first run's result was lost); the second result is returned.</summary>
    RunTwice,

    /// <summary>The activity throws before doing anything (the worker died on pickup).</summary>
    CrashBefore,

    /// <summary>The activity does all its work, then throws (the worker died before its result was recorded).</summary>
    CrashAfter,
}

/// <summary>Faults switched on per activity for a number of runs, and how often each activity's work actually ran.</summary>
internal sealed class ActivityFaults
{
    private readonly ConcurrentDictionary<string, (ActivityFault Fault, int Left)> planned = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> runs = new(StringComparer.Ordinal);

    public void Set(string activity, ActivityFault fault, int times = int.MaxValue) => planned[activity] = (fault, times);

    public int Runs(string activity) => runs.GetValueOrDefault(activity);

    public void Clear()
    {
        planned.Clear();
        runs.Clear();
    }

    internal ActivityFault? Next(string activity)
    {
        while (planned.TryGetValue(activity, out var plan) && plan.Left > 0)
        {
            if (planned.TryUpdate(activity, (plan.Fault, plan.Left - 1), plan))
                return plan.Fault;
        }
        return null;
    }

    internal void Ran(string activity) => runs.AddOrUpdate(activity, 1, (_, n) => n + 1);
}

internal sealed class DirectActivityContext(string name, string instanceId) : TaskActivityContext
{
    public override TaskName Name { get; } = name;

    public override string InstanceId { get; } = instanceId;
}

/// <summary>Counts the orchestrator's executions (<see cref="ActivityFaults.Runs"/> of <c>LlmOrchestrator</c>): one per replay.</summary>
internal sealed class CountingOrchestrator(ITaskOrchestrator inner, ActivityFaults faults) : ITaskOrchestrator
{
    public Type InputType => inner.InputType;

    public Type OutputType => inner.OutputType;

    public Task<object?> RunAsync(TaskOrchestrationContext context, object? input)
    {
        faults.Ran(nameof(LlmOrchestrator));
        return inner.RunAsync(context, input);
    }
}

/// <summary>Runs the real activity, misbehaving as <see cref="ActivityFaults"/> says.</summary>
internal sealed class FaultyActivity(string name, ITaskActivity inner, ActivityFaults faults) : ITaskActivity
{
    public Type InputType => inner.InputType;

    public Type OutputType => inner.OutputType;

    public async Task<object?> RunAsync(TaskActivityContext context, object? input)
    {
        var fault = faults.Next(name);
        if (fault == ActivityFault.CrashBefore)
            throw new InvalidOperationException($"Injected crash before {name} ran.");
        var result = await RunInnerAsync(context, input);
        if (fault == ActivityFault.RunTwice)
            result = await RunInnerAsync(context, input);
        if (fault == ActivityFault.CrashAfter)
            throw new InvalidOperationException($"Injected crash after {name} ran.");
        return result;
    }

    private async Task<object?> RunInnerAsync(TaskActivityContext context, object? input)
    {
        faults.Ran(name);
        return await inner.RunAsync(context, input);
    }
}
