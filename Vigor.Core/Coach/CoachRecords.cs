namespace Vigor.Core.Coach;

public sealed record CoachMessageRequest(string? Message, string? ConversationId);

/// <summary>A coach answer: <c>source</c> is the provider's name, <c>offline</c>, <c>cache</c> or <c>safety</c>.</summary>
public sealed record CoachReply(Guid ConversationId, string Reply, string Source, string? Safety);

public sealed record Conversation(Guid Id, string Title, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record CoachMessage(Guid Id, string Role, string Content, string? Source, string? Safety, DateTime CreatedAt);
