using System.Text.Json;

namespace Vigor.Core.Llm.Gateway;

/// <summary>What the gateway needs from an AI feature (coach chat, plan generation, workout analysis).</summary>
public interface ILlmFeature
{
    string Name { get; }

    /// <summary>Checks a model's answer. Invalid output counts as a failed attempt; <c>Repair</c>, when given, is sent back once.</summary>
    FeatureVerdict Validate(string text, JsonElement input);

    /// <summary>The offline coach's answer: deterministic, free, always available.</summary>
    string AnswerOffline(JsonElement input);

    /// <summary>Stores what the job produced (a chat reply, a plan, an analysis) and returns what the client receives.</summary>
    Task<JsonElement> CompleteAsync(LlmJob job, LlmJobResult result, CancellationToken ct);

    /// <summary>
    /// <see cref="CompleteAsync"/> as one idempotent statement and the payload it gives, for a feature whose payload does not
    /// depend on what the database generates (coach chat): the inline path then commits it with the settle step's writes,
    /// one round trip instead of two. Null (the default) when the feature cannot; <see cref="CompleteAsync"/> then runs.
    /// </summary>
    (Infrastructure.Data.PgStatement Write, JsonElement Payload)? CompleteStatement(LlmJob job, LlmJobResult result) => null;

    /// <summary>
    /// True when an inline answer may reach the client before its settle step commits (<see cref="PendingSettles"/>): the
    /// feature's reads of what the settle writes wait for it, and its answer needs nothing the database generates. Needs
    /// <see cref="CompleteStatement"/>.
    /// </summary>
    bool SettlesAfterAnswer => false;
}

public sealed record FeatureVerdict(bool Ok, string? Repair = null, string? Normalized = null)
{
    public static readonly FeatureVerdict Valid = new(true);
}

/// <summary>One call to a model through its vendor SDK (implemented over the provider layer).</summary>
public interface IModelClient
{
    Task<ModelReply> CompleteAsync(ProviderRow provider, string? apiKey, IReadOnlyList<PromptMessage> messages, int maxOutputTokens, bool jsonOutput, CancellationToken ct);
}

/// <summary>A model's answer or failure; tokens are the vendor's reported usage.</summary>
public sealed record ModelReply(bool Ok, string Outcome, string? Text, int InputTokens, int OutputTokens, double LatencyMs);
