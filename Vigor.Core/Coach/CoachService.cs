using System.Text.Json;
using Microsoft.DurableTask.Client;
using Npgsql;
using Vigor.Core.Coach.Safety;
using Vigor.Core.Infrastructure;
using Vigor.Core.Infrastructure.Data;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Jobs;
using Vigor.Core.Llm.Gateway;
using Vigor.Core.Profiles;
using Vigor.Core.Usage;

namespace Vigor.Core.Coach;

/// <summary>A coach message: the safety pre-filter first (fixed answers, no model, no quota), then the LLM gateway.</summary>
internal sealed class CoachService(
    CoachRepository conversations, JobService jobs, NpgsqlDataSource dataSource, Microsoft.Extensions.Options.IOptions<LlmOptions> llm,
    PendingSettles settles)
{
    public const int MaxMessageLength = 2000;
    public const int HistoryMessages = 10;
    public const int ReplyTokens = 400;

    public abstract record Sent;

    public sealed record Answered(CoachReply Reply) : Sent;

    public sealed record Started(JobStart Job) : Sent;

    public async Task<Outcome<Sent>> SendAsync(Guid userId, CoachMessageRequest request, DurableTaskClient durable, CancellationToken ct)
    {
        var errors = new FieldErrors().Text(request.Message, "message", MaxMessageLength, required: true);
        Guid? conversationId = null;
        if (request.ConversationId is { } raw)
        {
            if (!Guid.TryParse(raw, out var parsed))
                return Problems.NotFound("conversation");
            conversationId = parsed;
        }
        if (!errors.IsEmpty)
            return errors.ToProblem();
        var message = request.Message!.Trim();
        // A reply given moments ago settles after it was sent (CoachFeature.SettlesAfterAnswer): the history includes it.
        if (conversationId is not null)
            await settles.WhenSettledAsync(userId, ct);
        // The profile, the conversation (a continued one is checked, read and added to) and routing's reads: one batch, one
        // round trip.
        var route = jobs.RouteReads(userId);
        var meRead = ProfileRepository.MeRead(userId);
        var stored = conversationId is { } id
            ? CoachRepository.Continue(id, userId, message, HistoryMessages)
            : CoachRepository.Start(userId, message.Length <= 60 ? message : message[..60], message);
        var batch = PgBatch.ExecuteAsync(dataSource, [meRead.Statement, .. stored.Statements, .. route.Statements], ct);
        var routeReads = route.After(batch);
        try
        {
            await batch;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            // An account removed meanwhile: a new conversation's insert fails on its user key.
            return Problems.NotFound("user");
        }
        if (meRead.Result is not { } me)
            return Problems.NotFound("user");
        var (conversation, history) = stored.Result;
        if (conversation is null)
            return Problems.NotFound("conversation");

        if (SafetyFilter.Check(message, me.IsMinor) is { } safety)
        {
            await conversations.AddAsync(conversation.Id, "assistant", safety.Reply, "safety", safety.Category, null, ct);
            return new Answered(new CoachReply(conversation.Id, safety.Reply, "safety", safety.Category));
        }

        var input = JsonSerializer.SerializeToElement(new CoachInput(conversation.Id, message, me.Profile.FitnessLevel, me.IsMinor), VigorJson.Options);
        var prompt = CoachPrompt.Build(me, history, message);
        var maxTokens = Math.Min(ReplyTokens, llm.Value.MaxOutputTokens);
        var start = await jobs.StartLlmAsync(durable, userId, "coach",
            jobId => new LlmJob(jobId, userId, me.Tier, Features.CoachChat, prompt, maxTokens, false, input, CacheKey: null), ct, routeReads);
        return new Started(start);
    }

    public async Task<Outcome<Page<Conversation>>> ListAsync(Guid userId, PageRequest page, CancellationToken ct)
    {
        await settles.WhenSettledAsync(userId, ct);
        return Paging.ToPage(await conversations.ListAsync(userId, page.After, page.Limit + 1, ct), page.Limit, c => c.Id);
    }

    public async Task<Outcome<Page<CoachMessage>>> MessagesAsync(Guid userId, string id, PageRequest page, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var conversationId))
            return Problems.NotFound("conversation");
        await settles.WhenSettledAsync(userId, ct);
        if (await conversations.GetOwnAsync(conversationId, userId, ct) is null)
            return Problems.NotFound("conversation");
        return Paging.ToPage(await conversations.MessagesAsync(conversationId, page.After, page.Limit + 1, ct), page.Limit, m => m.Id);
    }

    public async Task<bool> DeleteAsync(Guid userId, string id, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var conversationId))
            return false;
        await settles.WhenSettledAsync(userId, ct);
        return await conversations.DeleteAsync(conversationId, userId, ct);
    }
}
