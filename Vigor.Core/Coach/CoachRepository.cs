using Dapper;
using Npgsql;
using Vigor.Core.Infrastructure.Data;

namespace Vigor.Core.Coach;

internal sealed class CoachRepository(NpgsqlDataSource dataSource)
{
    public async Task<Conversation?> GetOwnAsync(Guid id, Guid userId, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<Conversation>(new CommandDefinition(
            "SELECT id, title, created_at, updated_at FROM coach_conversations WHERE id = @id AND user_id = @userId", new { id, userId }, cancellationToken: ct));
    }

    public async Task<Conversation> CreateAsync(Guid userId, string title, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleAsync<Conversation>(new CommandDefinition("""
            INSERT INTO coach_conversations (id, user_id, title) VALUES (@id, @userId, @title) RETURNING id, title, created_at, updated_at
            """, new { id = Guid.CreateVersion7(), userId, title }, cancellationToken: ct));
    }

    /// <summary>A new conversation with its first message: one statement.</summary>
    public async Task<Conversation> StartAsync(Guid userId, string title, string message, CancellationToken ct)
    {
        var start = Start(userId, title, message);
        await PgBatch.ExecuteAsync(dataSource, start.Statements, ct);
        return start.Result.Conversation!;
    }

    /// <summary><see cref="StartAsync"/> as a statement for another component's batch.</summary>
    public static ConversationWrite Start(Guid userId, string title, string message)
    {
        var conversation = new PgQuery<Conversation>("""
            WITH c AS (
                INSERT INTO coach_conversations (id, user_id, title) VALUES ($1, $2, $3) RETURNING id, title, created_at, updated_at
            ), m AS (
                INSERT INTO coach_messages (id, conversation_id, role, content) SELECT $4, c.id, 'user', $5 FROM c
            )
            SELECT id, title, created_at, updated_at FROM c
            """, Guid.CreateVersion7(), userId, title, Guid.CreateVersion7(), message);
        return new ConversationWrite([conversation], () => (conversation.Results.Single(), []));
    }

    /// <summary>
    /// The caller's conversation with its latest <paramref name="count"/> messages, and the new user message added to it,
    /// in one round trip: null (and nothing added) when the conversation is not the caller's. The two statements run in
    /// one implicit transaction, history first, so the history does not include the message being added.
    /// </summary>
    public async Task<(Conversation? Conversation, IReadOnlyList<CoachMessage> History)> ContinueAsync(
        Guid id, Guid userId, string message, int count, CancellationToken ct)
    {
        var write = Continue(id, userId, message, count);
        await PgBatch.ExecuteAsync(dataSource, write.Statements, ct);
        return write.Result;
    }

    /// <summary><see cref="ContinueAsync"/> as two statements for another component's batch.</summary>
    public static ConversationWrite Continue(Guid id, Guid userId, string message, int count)
    {
        var history = new PgQuery<CoachMessage>("""
            SELECT m.id, m.role, m.content, m.source, m.safety, m.created_at
            FROM coach_messages m JOIN coach_conversations c ON c.id = m.conversation_id AND c.user_id = $2
            WHERE m.conversation_id = $1 ORDER BY m.created_at DESC, m.id DESC LIMIT $3
            """, id, userId, count);
        var conversation = new PgQuery<Conversation>("""
            WITH c AS (
                UPDATE coach_conversations SET updated_at = now() WHERE id = $1 AND user_id = $2
                RETURNING id, title, created_at, updated_at
            ), m AS (
                INSERT INTO coach_messages (id, conversation_id, role, content) SELECT $3, c.id, 'user', $4 FROM c
            )
            SELECT id, title, created_at, updated_at FROM c
            """, id, userId, Guid.CreateVersion7(), message);
        return new ConversationWrite([history, conversation], () =>
        {
            var found = conversation.Results.SingleOrDefault();
            return (found, found is null ? [] : Enumerable.Reverse(history.Results).ToList());
        });
    }

    /// <summary>
    /// Adds a message and touches the conversation, in one statement; an assistant message keyed by its job id is stored
    /// once however often the activity runs.
    /// </summary>
    public async Task AddAsync(Guid conversationId, string role, string content, string? source, string? safety, string? jobId, CancellationToken ct)
        => await PgBatch.ExecuteAsync(dataSource, [AddStatement(conversationId, role, content, source, safety, jobId)], ct);

    /// <summary>A message added to a conversation; a job's message is added once however often its job completes.</summary>
    public PgStatement AddStatement(Guid conversationId, string role, string content, string? source, string? safety, string? jobId) => new("""
        WITH m AS (
            INSERT INTO coach_messages (id, conversation_id, role, content, source, safety, job_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (job_id) DO NOTHING
        )
        UPDATE coach_conversations SET updated_at = now() WHERE id = $2
        """, Guid.CreateVersion7(), conversationId, role, content, Text(source), Text(safety), Text(jobId));

    // Typed, so a null needs no inference from the column.
    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text };

    public async Task<IReadOnlyList<Conversation>> ListAsync(Guid userId, Guid? after, int limit, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<Conversation>(new CommandDefinition("""
            SELECT id, title, created_at, updated_at FROM coach_conversations
            WHERE user_id = @userId AND (@after::uuid IS NULL OR id < @after) ORDER BY id DESC LIMIT @limit
            """, new { userId, after, limit }, cancellationToken: ct))).AsList();
    }

    public async Task<IReadOnlyList<CoachMessage>> MessagesAsync(Guid conversationId, Guid? after, int limit, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<CoachMessage>(new CommandDefinition("""
            SELECT id, role, content, source, safety, created_at FROM coach_messages
            WHERE conversation_id = @conversationId AND (@after::uuid IS NULL OR id > @after) ORDER BY id LIMIT @limit
            """, new { conversationId, after, limit }, cancellationToken: ct))).AsList();
    }

    public async Task<bool> DeleteAsync(Guid id, Guid userId, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(
            "DELETE FROM coach_conversations WHERE id = @id AND user_id = @userId", new { id, userId }, cancellationToken: ct)) > 0;
    }
}

/// <summary>A conversation's write as statements for a batch, and what it read once the batch ran.</summary>
internal sealed class ConversationWrite(IReadOnlyList<PgStatement> statements, Func<(Conversation? Conversation, IReadOnlyList<CoachMessage> History)> result)
{
    public IReadOnlyList<PgStatement> Statements => statements;

    public (Conversation? Conversation, IReadOnlyList<CoachMessage> History) Result => result();
}
