using System.Text.Json;
using Vigor.Core.Coach.Offline;
using Vigor.Core.Infrastructure.Data;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Llm.Gateway;
using Vigor.Core.Usage;
using Vigor.Core.Workouts.Validation;

namespace Vigor.Core.Workouts.Generation;

/// <summary>The structured input of a plan generation job: who, the validation context after the request's overrides, the request.</summary>
internal sealed record PlanGenerationInput(Guid UserId, PlanContext Context, PlanRequest Request);

/// <summary>
/// AI plan generation on the gateway: the model's JSON is parsed into the plan schema and checked by the plan
/// validator; a plan with errors goes back once with the findings, then counts as a failure (next provider).
/// The offline generator always produces a plan with zero errors. The saved plan records who wrote it.
/// </summary>
internal sealed class PlanGenerationFeature(OfflinePlanGenerator generator, PlanValidator validator, PlanRepository plans, TimeProvider time) : ILlmFeature
{
    public string Name => Features.PlanGeneration;

    public FeatureVerdict Validate(string text, JsonElement input)
    {
        var job = Read(input);
        Plan? plan;
        try
        {
            plan = JsonSerializer.Deserialize<Plan>(StripFence(text), VigorJson.Options);
        }
        catch (JsonException)
        {
            plan = null;
        }
        if (plan?.Days is not { Count: > 0 })
            return new FeatureVerdict(false, "That was not a plan in the requested JSON shape. Reply with the JSON object only.");
        var validation = validator.Validate(plan, job.Context);
        if (validation.HasErrors)
        {
            var findings = string.Join("\n", validation.Findings.Where(f => f.Severity == FindingSeverity.Error).Take(12).Select(f => $"- {f.Code}: {f.Message}"));
            return new FeatureVerdict(false, $"The plan breaks these training rules:\n{findings}\nFix them and reply with the corrected JSON object only.");
        }
        return new FeatureVerdict(true, Normalized: JsonSerializer.Serialize(plan, VigorJson.Options));
    }

    public string AnswerOffline(JsonElement input)
    {
        var job = Read(input);
        return JsonSerializer.Serialize(generator.Generate(job.Context, job.Request).Plan, VigorJson.Options);
    }

    public async Task<JsonElement> CompleteAsync(LlmJob job, LlmJobResult result, CancellationToken ct)
    {
        var (plan, validation, _) = Checked(job, result);
        var saved = await plans.InsertAsync(job.UserId, plan, result.Source, validation, ct, PlanId(job));
        return JsonSerializer.SerializeToElement(saved, VigorJson.Options);
    }

    /// <summary>
    /// The plan's insert and the plan the client gets, for the inline path's settle batch: the plan takes its job's id
    /// and the app's clock, so nothing in the answer comes from the database.
    /// </summary>
    public (PgStatement Write, JsonElement Payload)? CompleteStatement(LlmJob job, LlmJobResult result)
    {
        var (plan, validation, known) = Checked(job, result);
        var (write, saved) = PlanRepository.InsertStatement(job.UserId, plan, result.Source, validation, PlanId(job), PgBatch.Timestamp(time),
            known?.DaysJson, known?.FindingsJson);
        return (write, known is null
            ? JsonSerializer.SerializeToElement(saved, VigorJson.Options)
            : PlanRepository.ViewElement(saved, known.DaysJson, known.FindingsJson));
    }

    // The plan the job produced (the model's, or the offline generator's) and its findings against the job's context.
    // Known: what is kept with a remembered text, when the plan came from one.
    private (Plan Plan, PlanValidation Validation, CheckedText? Known) Checked(LlmJob job, LlmJobResult result)
    {
        if (result.Text is not { } text)
        {
            var offline = JsonSerializer.Deserialize<Plan>(AnswerOffline(job.FeatureInput), VigorJson.Options)!;
            return (offline, validator.Validate(offline, Read(job.FeatureInput).Context), null);
        }
        // A remembered cache entry's text is one string, served hit after hit: its plan and findings for a context stay
        // with it (the validator is a pure function of the two, and both are immutable), ~0.3 ms of CPU per hit.
        var context = job.FeatureInput.TryGetProperty("context", out var raw) ? raw.GetRawText() : null;
        if (context is not null && checkedTexts.TryGetValue(text, out var known) && known.Context == context)
            return (known.Plan, known.Validation, known);
        var plan = JsonSerializer.Deserialize<Plan>(text, VigorJson.Options)!;
        var validation = validator.Validate(plan, Read(job.FeatureInput).Context);
        if (context is null)
            return (plan, validation, null);
        var kept = new CheckedText(context, plan, validation);
        checkedTexts.AddOrUpdate(text, kept);
        return (plan, validation, kept);
    }

    private sealed record CheckedText(string Context, Plan Plan, PlanValidation Validation)
    {
        // The plan's days and its findings as the plans table stores them: serialised once, not hit after hit.
        public string DaysJson { get; } = PlanRepository.DaysJson(Plan);

        public string FindingsJson { get; } = PlanRepository.FindingsJson(Validation);
    }

    // Keyed by the text's instance, so an entry goes when the cache's remembered text does.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<string, CheckedText> checkedTexts = new();

    // A generated plan takes its job's id, so a job that completes twice saves one plan.
    private static Guid PlanId(LlmJob job) => Guid.ParseExact(job.JobId[(job.JobId.IndexOf('-', StringComparison.Ordinal) + 1)..], "N");

    private static PlanGenerationInput Read(JsonElement input) => input.Deserialize<PlanGenerationInput>(VigorJson.Options)!;

    private static string StripFence(string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith("```", StringComparison.Ordinal))
            return trimmed;
        var start = trimmed.IndexOf('\n', StringComparison.Ordinal);
        var end = trimmed.LastIndexOf("```", StringComparison.Ordinal);
        return start > 0 && end > start ? trimmed[(start + 1)..end] : trimmed;
    }
}
