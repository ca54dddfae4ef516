using System.Text.Json;
using Vigor.Core.Coach.Offline;
using Vigor.Core.Coach.Safety;
using Vigor.Core.Infrastructure.Data;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Llm.Gateway;
using Vigor.Core.Usage;

namespace Vigor.Core.Coach;

/// <summary>What the gateway needs to run coach chat: the structured input, the post-filter, the offline answer, the stored reply.</summary>
public sealed record CoachInput(Guid ConversationId, string Message, string? Level, bool IsMinor);

internal sealed class CoachFeature(OfflineCoachAnswerer answerer, CoachRepository conversations, Npgsql.NpgsqlDataSource dataSource) : ILlmFeature
{
    public const int MaxReplyLength = 4000;

    public string Name => Features.CoachChat;

    public FeatureVerdict Validate(string text, JsonElement input)
    {
        var coach = Read(input);
        return !string.IsNullOrWhiteSpace(text) && text.Length <= MaxReplyLength && SafetyFilter.ReplyIsSafe(text, coach.IsMinor)
            ? FeatureVerdict.Valid
            : new FeatureVerdict(false);
    }

    public string AnswerOffline(JsonElement input)
    {
        var coach = Read(input);
        return answerer.Answer(coach.Message, coach.Level).Text;
    }

    public async Task<JsonElement> CompleteAsync(LlmJob job, LlmJobResult result, CancellationToken ct)
    {
        var (write, payload) = CompleteStatement(job, result);
        await PgBatch.ExecuteAsync(dataSource, [write], ct);
        return payload;
    }

    /// <summary>The assistant's message (once per job: the job id is unique among messages) and the reply the client gets.</summary>
    public (PgStatement Write, JsonElement Payload) CompleteStatement(LlmJob job, LlmJobResult result)
    {
        var coach = Read(job.FeatureInput);
        var reply = result.Text ?? AnswerOffline(job.FeatureInput);
        var write = conversations.AddStatement(coach.ConversationId, "assistant", reply, result.Source, null, job.JobId);
        return (write, JsonSerializer.SerializeToElement(new CoachReply(coach.ConversationId, reply, result.Source, null), VigorJson.Options));
    }

    (PgStatement Write, JsonElement Payload)? ILlmFeature.CompleteStatement(LlmJob job, LlmJobResult result) => CompleteStatement(job, result);

    /// <summary>
    /// The reply goes to the client as soon as the model's answer passed the post-filter; the ledger, the counters and the
    /// stored message commit right after (<see cref="PendingSettles"/>). <see cref="CoachService"/>'s reads wait for them.
    /// </summary>
    public bool SettlesAfterAnswer => true;

    private static CoachInput Read(JsonElement input) => input.Deserialize<CoachInput>(VigorJson.Options)!;
}
