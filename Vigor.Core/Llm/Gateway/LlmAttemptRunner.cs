using System.Diagnostics;
using Vigor.Core.Infrastructure.Secrets;

namespace Vigor.Core.Llm.Gateway;

/// <summary>
/// One attempt at one candidate: hold its worst case against the provider's caps, call the model, let the
/// feature judge the answer (one repair round with the feature's hint), then settle the provider hold to the
/// actual cost. The offline coach answers directly. Tokens and cost come from the vendor's reported usage.
/// </summary>
internal sealed class LlmAttemptRunner(
    ProviderRepository providers, BudgetGate gate, IModelClient models, ISecretStore secrets, IEnumerable<ILlmFeature> features)
{
    /// <param name="known">The candidate's provider row when the caller has just read it (the inline path's route).</param>
    /// <param name="heldByCaller">
    /// The caller took this attempt's provider hold with the reservation (<see cref="ProviderHold.Held"/>) and settles it
    /// itself (<see cref="ProviderSettleOf"/>): the attempt neither holds nor settles.
    /// </param>
    public async Task<AttemptResult> RunAsync(LlmJob job, int attempt, Candidate candidate, CancellationToken ct, ProviderRow? known = null,
        bool heldByCaller = false)
    {
        var feature = features.First(f => f.Name == job.Feature);
        var provider = known?.Id == candidate.ProviderId ? known : await providers.GetAsync(candidate.ProviderId, ct);
        if (provider is null || provider.IsOffline)
        {
            var watch = Stopwatch.StartNew();
            var text = feature.AnswerOffline(job.FeatureInput);
            return new AttemptResult(candidate.ProviderId, candidate.Name, "offline", provider?.Model ?? "offline", true, Outcomes.Ok, text, 0, 0, 0,
                (int)watch.ElapsedMilliseconds);
        }

        var attemptKey = AttemptKey(job, attempt);
        var worst = WorstCaseMicros(job, provider);
        if (!heldByCaller && !await gate.HoldProviderAsync(attemptKey, provider, worst, ct))
            return Failed(provider, Outcomes.CapReached);

        var apiKey = provider.HasSecret ? await secrets.GetAsync(provider.SecretName, ct) : null;
        var reply = await models.CompleteAsync(provider, apiKey, job.Messages, job.MaxOutputTokens, job.JsonOutput, ct);
        int input = reply.InputTokens, output = reply.OutputTokens;
        var latency = reply.LatencyMs;
        var outcome = reply.Outcome;
        string? answer = null;
        if (reply.Ok)
        {
            var verdict = feature.Validate(reply.Text!, job.FeatureInput);
            if (!verdict.Ok && verdict.Repair is not null)
            {
                var repair = await models.CompleteAsync(provider, apiKey,
                    [.. job.Messages, new PromptMessage("assistant", reply.Text!), new PromptMessage("user", verdict.Repair)], job.MaxOutputTokens, job.JsonOutput, ct);
                input += repair.InputTokens;
                output += repair.OutputTokens;
                latency += repair.LatencyMs;
                verdict = repair.Ok ? feature.Validate(repair.Text!, job.FeatureInput) : new FeatureVerdict(false);
                reply = repair.Ok ? repair : reply;
                outcome = repair.Ok ? outcome : repair.Outcome;
            }
            if (verdict.Ok)
                answer = verdict.Normalized ?? reply.Text;
            else if (outcome == Outcomes.Ok)
                outcome = Outcomes.InvalidOutput;
        }
        var cost = Pricing.Micros(provider, input, output);
        if (!heldByCaller)
            await gate.SettleProviderAsync(new ProviderSettle(attemptKey, provider.Id, worst, cost), ct);
        return new AttemptResult(provider.Id, provider.Name, provider.Kind, provider.Model, answer is not null, answer is null ? outcome : Outcomes.Ok,
            answer, input, output, cost, latency);
    }

    /// <summary>The key of an attempt's provider hold and settlement.</summary>
    internal static string AttemptKey(LlmJob job, int attempt) => $"{job.JobId}:{attempt}";

    /// <summary>What an attempt holds against its provider's caps: the estimated input and twice the output bound (one repair round).</summary>
    internal static long WorstCaseMicros(LlmJob job, ProviderRow provider)
        => Pricing.Micros(provider, Pricing.EstimateInputTokens(job.Messages), job.MaxOutputTokens * 2);

    /// <summary>The settlement of a hold the caller took (<c>heldByCaller</c>): the worst case replaced by the attempt's cost.</summary>
    internal static ProviderSettle ProviderSettleOf(LlmJob job, int attempt, ProviderRow provider, AttemptResult result)
        => new(AttemptKey(job, attempt), provider.Id, WorstCaseMicros(job, provider), result.CostMicros);

    internal static AttemptResult Failed(ProviderRow provider, string outcome)
        => new(provider.Id, provider.Name, provider.Kind, provider.Model, false, outcome, null, 0, 0, 0, 0);
}
