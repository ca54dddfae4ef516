using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Vigor.Core.Auth;
using Vigor.Core.Coach;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Jobs;
using Vigor.Functions.Infrastructure;

namespace Vigor.Functions.Coach;

internal sealed class CoachApi(CoachService coach, TimeProvider time)
{
    [Function(nameof(SendCoachMessage))]
    [ApiDoc("Coach", "Ask the coach: safety topics get fixed answers, the rest goes through the LLM gateway (200, or 202 with a job to poll)",
        Request = typeof(CoachMessageRequest), Response = typeof(CoachReply), Errors = [202, 400, 404, 413, 415, 429])]
    public async Task<IResult> SendCoachMessage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/coach/messages")] HttpRequest req,
        [DurableClient] DurableTaskClient durable,
        CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<CoachMessageRequest>(req, ct, maxBytes: 16 * 1024);
        if (problem is not null)
            return problem;
        var sent = await coach.SendAsync(req.GetCaller().UserId, body!, durable, ct);
        return sent.ToResult(s => s switch
        {
            CoachService.Answered answered => TypedResults.Ok(answered.Reply),
            CoachService.Started started => LlmResults.From(started.Job, time),
            _ => throw new InvalidOperationException("Unknown coach outcome."),
        });
    }

    [Function(nameof(ListConversations))]
    [ApiDoc("Coach", "The caller's conversations, newest first", Response = typeof(Page<Conversation>), Errors = [400])]
    [ApiQuery("limit", "integer", "Page size, 1-100 (default 20)")]
    [ApiQuery("cursor", "string", "The nextCursor of the previous page")]
    public async Task<IResult> ListConversations([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/coach/conversations")] HttpRequest req, CancellationToken ct)
    {
        var paging = Paging.Read(req.Query);
        return paging.Problem ?? (await coach.ListAsync(req.GetCaller().UserId, paging.Value, ct)).ToResult(TypedResults.Ok);
    }

    [Function(nameof(ListConversationMessages))]
    [ApiDoc("Coach", "The messages of one of the caller's conversations, oldest first", Response = typeof(Page<CoachMessage>), Errors = [400, 404])]
    [ApiQuery("limit", "integer", "Page size, 1-100 (default 20)")]
    [ApiQuery("cursor", "string", "The nextCursor of the previous page")]
    public async Task<IResult> ListConversationMessages(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/coach/conversations/{id}/messages")] HttpRequest req, string id, CancellationToken ct)
    {
        var paging = Paging.Read(req.Query);
        return paging.Problem ?? (await coach.MessagesAsync(req.GetCaller().UserId, id, paging.Value, ct)).ToResult(TypedResults.Ok);
    }

    [Function(nameof(DeleteConversation))]
    [ApiDoc("Coach", "Delete one of the caller's conversations and its messages", Status = 204, Errors = [404])]
    public async Task<IResult> DeleteConversation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/coach/conversations/{id}")] HttpRequest req, string id, CancellationToken ct)
        => await coach.DeleteAsync(req.GetCaller().UserId, id, ct) ? TypedResults.NoContent() : Problems.NotFound("conversation");
}
