using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;

namespace Vigor.Core.Infrastructure.Telemetry;

public enum LoginOutcome
{
    Success,
    Failure,
    Throttled,
}

public enum BreakerState
{
    Closed = 0,
    HalfOpen = 1,
    Open = 2,
}

/// <summary>
/// The app's own metrics, on one meter. Azure Monitor stores them in <c>customMetrics</c> under these names with the
/// tags as <c>customDimensions</c>; infra-bicep/modules/workbook.bicep and alerts.bicep query them by name, and a test
/// keeps both sides in step. Tags are low-cardinality labels only (tier, provider, outcome, scope): never a user id,
/// an email or any text a person typed.
/// </summary>
internal sealed partial class VigorMetrics
{
    public const string MeterName = "Vigor";

    private readonly Counter<long> llmRequests;
    private readonly Counter<long> llmFallbacks;
    private readonly Counter<double> llmCost;
    private readonly Counter<long> llmTokens;
    private readonly Histogram<double> llmLatency;
    private readonly Counter<long> logins;
    private readonly ConcurrentDictionary<string, BreakerState> breakers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, double> budgets = new(StringComparer.Ordinal);

    public VigorMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        llmRequests = meter.CreateCounter<long>("vigor.llm.requests", "{call}", "LLM provider calls by tier, provider and outcome");
        llmFallbacks = meter.CreateCounter<long>("vigor.llm.fallbacks", "{fallback}", "Moves from a failed provider to the next candidate (or the offline coach)");
        llmCost = meter.CreateCounter<double>("vigor.llm.cost_usd", "USD", "LLM spend by tier and provider");
        llmTokens = meter.CreateCounter<long>("vigor.llm.tokens", "{token}", "LLM tokens by tier, provider and direction (input, output)");
        llmLatency = meter.CreateHistogram<double>("vigor.llm.latency", "ms", "LLM provider call duration");
        logins = meter.CreateCounter<long>("vigor.auth.logins", "{login}", "Login attempts by outcome (success, failure, throttled)");
        meter.CreateObservableGauge("vigor.llm.breaker_state", ObserveBreakers, "{state}", "Circuit breaker per provider: 0 closed, 1 half-open, 2 open");
        meter.CreateObservableGauge("vigor.budget.utilisation", ObserveBudgets, "1", "Share of a budget spent (1 = the whole budget), by scope");
    }

    /// <summary>One provider call, whatever its outcome (success, error, timeout, invalid_output, ...).</summary>
    public void RecordLlmCall(string tier, string provider, string outcome, long inputTokens, long outputTokens, decimal costUsd, TimeSpan latency)
    {
        var tags = new TagList { { "tier", Label(tier) }, { "provider", Label(provider) } };
        var withOutcome = tags;
        withOutcome.Add("outcome", Label(outcome));
        llmRequests.Add(1, withOutcome);
        llmLatency.Record(latency.TotalMilliseconds, withOutcome);
        if (costUsd > 0)
            llmCost.Add((double)costUsd, tags);
        AddTokens(tags, "input", inputTokens);
        AddTokens(tags, "output", outputTokens);
    }

    /// <summary>The gateway gave up on <paramref name="provider"/> for this request and tries the next candidate.</summary>
    public void RecordFallback(string tier, string provider, string reason)
        => llmFallbacks.Add(1, new TagList { { "tier", Label(tier) }, { "provider", Label(provider) }, { "reason", Label(reason) } });

    /// <summary>Called for every routed provider on every AI request: written only when the state changed (a write takes a lock).</summary>
    public void SetBreakerState(string provider, BreakerState state)
    {
        var label = Label(provider);
        if (!breakers.TryGetValue(label, out var known) || known != state)
            breakers[label] = state;
    }

    /// <summary>Spent / limit of a budget scope such as <c>global</c>, <c>provider.openai</c> or <c>tier.free</c> (never one user's).</summary>
    public void SetBudgetUtilisation(string scope, double spentFraction) => budgets[Label(scope)] = Math.Max(0, spentFraction);

    public void RecordLogin(LoginOutcome outcome)
        => logins.Add(1, new KeyValuePair<string, object?>("outcome", outcome switch
        {
            LoginOutcome.Success => "success",
            LoginOutcome.Throttled => "throttled",
            _ => "failure",
        }));

    private void AddTokens(TagList tags, string direction, long count)
    {
        if (count <= 0)
            return;
        tags.Add("direction", direction);
        llmTokens.Add(count, tags);
    }

    private IEnumerable<Measurement<int>> ObserveBreakers()
        => breakers.Select(b => new Measurement<int>((int)b.Value, new KeyValuePair<string, object?>("provider", b.Key)));

    private IEnumerable<Measurement<double>> ObserveBudgets()
        => budgets.Select(b => new Measurement<double>(b.Value, new KeyValuePair<string, object?>("scope", b.Key)));

    // A tag value is a short lowercase token. Anything else (an email, a GUID, free text) becomes "other", so a caller's
    // mistake cannot put personal data or unbounded cardinality into the metrics store.
    internal static string Label(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return "unknown";
        var token = value.Trim().ToLowerInvariant();
        return SafeLabel().IsMatch(token) && !Guid.TryParse(token, out _) ? token : "other";
    }

    [GeneratedRegex("^[a-z][a-z0-9_.-]{0,39}$")]
    private static partial Regex SafeLabel();
}
