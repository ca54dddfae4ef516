using System.Text.Json;
using Vigor.Core.Coach.Safety;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Llm.Gateway;
using Vigor.Core.Usage;

namespace Vigor.Core.Workouts.Analysis;

public sealed record WorkoutAnalysis(Guid LogId, string Analysis, string Source);

/// <summary>Workout analysis on the gateway: the model explains the computed facts; the safety post-filter applies; offline states them plainly.</summary>
internal sealed class WorkoutAnalysisFeature : ILlmFeature
{
    public string Name => Features.WorkoutAnalysis;

    public FeatureVerdict Validate(string text, JsonElement input)
        => !string.IsNullOrWhiteSpace(text) && text.Length <= 4000 && SafetyFilter.ReplyIsSafe(text, Read(input).IsMinor)
            ? FeatureVerdict.Valid
            : new FeatureVerdict(false);

    public string AnswerOffline(JsonElement input) => Read(input).ToText();

    public Task<JsonElement> CompleteAsync(LlmJob job, LlmJobResult result, CancellationToken ct)
    {
        var facts = Read(job.FeatureInput);
        return Task.FromResult(JsonSerializer.SerializeToElement(
            new WorkoutAnalysis(facts.LogId, result.Text ?? facts.ToText(), result.Source), VigorJson.Options));
    }

    private static AnalysisFacts Read(JsonElement input) => input.Deserialize<AnalysisFacts>(VigorJson.Options)!;
}
